package io.tasker.core.template;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntFunction;

/**
 * Checks the steps' depends_on graph: duplicate names, self and unknown dependencies, cycles, and
 * the shape decisions need (a decision with branches to choose from, a deferred convergence step
 * with dependencies to wait for). Every independent cycle (strongly connected component) is
 * reported once, as a concrete path in run order, starting at the step declared first:
 * {@code a -> b -> c -> a} means b runs after a, c after b, and a after c.
 */
final class StepGraph {
    /**
     * A step as the graph sees it; {@code name} is null for a step whose name could not be read,
     * {@code type} for one whose type could not.
     */
    record Node(String name, List<String> dependsOn, StepType type) {
        Node(String name, List<String> dependsOn) {
            this(name, dependsOn, StepType.STANDARD);
        }
    }

    /**
     * A problem at step {@code position} (its index in the template), at its depends_on entry
     * {@code dependency} or -1 for the step itself, about {@code step} (null for a cycle).
     */
    record Issue(int position, int dependency, String step, String message) {}

    /** Instances of the batch worker at position p are at 1,000,000 * p + k: p must stay below 2000 to fit an int. */
    static final int MAX_BATCH_WORKER_POSITION = 2000;

    private StepGraph() {}

    /** {@code where} describes a step position for messages, e.g. "line 8" or "step #2". */
    static List<Issue> check(List<Node> nodes, IntFunction<String> where) {
        List<Issue> issues = new ArrayList<>();
        Map<String, Integer> firstByName = new HashMap<>();
        for (int i = 0; i < nodes.size(); i++) {
            String name = nodes.get(i).name();
            if (name == null) {
                continue;
            }
            Integer first = firstByName.putIfAbsent(name, i);
            if (first != null) {
                issues.add(new Issue(i, -1, name, "duplicate step name '" + name + "'; it is first defined at "
                        + where.apply(first)));
            }
        }

        List<List<Integer>> runsBefore = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            runsBefore.add(new ArrayList<>());
        }
        for (int i = 0; i < nodes.size(); i++) {
            Node node = nodes.get(i);
            if (node.name() == null) {
                continue;
            }
            Set<String> seen = new HashSet<>();
            for (int j = 0; j < node.dependsOn().size(); j++) {
                String dependency = node.dependsOn().get(j);
                if (dependency == null) {
                    continue;
                }
                Integer target = firstByName.get(dependency);
                if (!seen.add(dependency)) {
                    issues.add(new Issue(i, j, node.name(), "lists '" + dependency + "' more than once in depends_on"));
                } else if (dependency.equals(node.name())) {
                    issues.add(new Issue(i, j, node.name(), "depends on itself"));
                } else if (target == null) {
                    issues.add(new Issue(i, j, node.name(), "depends on unknown step '" + dependency + "'"
                            + Suggestions.didYouMean(dependency, firstByName.keySet())));
                } else if (firstByName.get(node.name()) == i) {
                    runsBefore.get(target).add(i);
                }
            }
        }

        issues.addAll(decisionShapes(nodes));
        issues.addAll(batchShapes(nodes));

        for (List<Integer> component : stronglyConnected(runsBefore)) {
            if (component.size() > 1) {
                int start = component.stream().min(Integer::compare).orElseThrow();
                List<Integer> cycle = cycleThrough(start, new HashSet<>(component), runsBefore);
                issues.add(new Issue(start, -1, null, "dependency cycle: "
                        + String.join(" -> ", cycle.stream().map(p -> nodes.get(p).name()).toList())));
            }
        }
        return issues;
    }

    /**
     * A decision chooses among the steps that list it in depends_on (deferred convergence steps
     * wait for what was chosen, they are not chosen), so it needs at least one; a deferred
     * convergence step waits for some of its dependencies, so it needs some.
     */
    private static List<Issue> decisionShapes(List<Node> nodes) {
        List<Issue> issues = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            Node node = nodes.get(i);
            if (node.name() == null || node.type() == null) {
                continue;
            }
            if (node.type() == StepType.DECISION && nodes.stream().noneMatch(other -> other.name() != null
                    && other.type() != StepType.DEFERRED_CONVERGENCE && other.dependsOn().contains(node.name()))) {
                issues.add(new Issue(i, -1, node.name(), "decision step '" + node.name() + "' has no branches to "
                        + "choose from: its branches are the steps that list it in depends_on, and none does"));
            }
            if (node.type() == StepType.DEFERRED_CONVERGENCE && node.dependsOn().isEmpty()) {
                issues.add(new Issue(i, -1, node.name(), "deferred_convergence step '" + node.name()
                        + "' has no dependencies: list every step it may wait for in depends_on"));
            }
        }
        return issues;
    }

    /**
     * A batch worker step is the template of the instances its batchable step creates: it depends
     * on exactly one batchable step, and an instance's position (1,000,000 times the template's,
     * plus its number) must fit an int. A batchable step needs a batch worker to create.
     */
    private static List<Issue> batchShapes(List<Node> nodes) {
        List<Issue> issues = new ArrayList<>();
        Map<String, StepType> types = new HashMap<>();
        nodes.stream().filter(node -> node.name() != null).forEach(node -> types.putIfAbsent(node.name(), node.type()));
        for (int i = 0; i < nodes.size(); i++) {
            Node node = nodes.get(i);
            if (node.name() == null || node.type() == null) {
                continue;
            }
            if (node.type() == StepType.BATCH_WORKER) {
                List<String> batchables = node.dependsOn().stream()
                        .filter(dependency -> types.get(dependency) == StepType.BATCHABLE).toList();
                if (batchables.size() != 1) {
                    issues.add(new Issue(i, -1, node.name(), "batch_worker step '" + node.name() + "' must depend on "
                            + "exactly one batchable step, the one whose outcome creates its instances; it depends on "
                            + (batchables.isEmpty() ? "none" : String.join(" and ", batchables.stream()
                            .map(name -> "'" + name + "'").toList()))));
                }
                if (i + 1 >= MAX_BATCH_WORKER_POSITION) {
                    issues.add(new Issue(i, -1, node.name(), "batch_worker step '" + node.name() + "' is step #"
                            + (i + 1) + "; a batch_worker step must be among the first "
                            + (MAX_BATCH_WORKER_POSITION - 1) + " steps of its template"));
                }
            }
            if (node.type() == StepType.BATCHABLE && nodes.stream().noneMatch(other -> other.name() != null
                    && other.type() == StepType.BATCH_WORKER && other.dependsOn().contains(node.name()))) {
                issues.add(new Issue(i, -1, node.name(), "batchable step '" + node.name() + "' has no batch worker: "
                        + "add a step of type batch_worker that lists it in depends_on"));
            }
        }
        return issues;
    }

    /** Tarjan's algorithm, iterative so a long chain of steps cannot overflow the stack. */
    private static List<List<Integer>> stronglyConnected(List<List<Integer>> edges) {
        int n = edges.size();
        int[] index = new int[n];
        int[] low = new int[n];
        boolean[] onStack = new boolean[n];
        Arrays.fill(index, -1);
        Deque<Integer> stack = new ArrayDeque<>();
        List<List<Integer>> components = new ArrayList<>();
        int counter = 0;
        for (int root = 0; root < n; root++) {
            if (index[root] != -1) {
                continue;
            }
            Deque<int[]> work = new ArrayDeque<>();
            work.push(new int[] {root, 0});
            while (!work.isEmpty()) {
                int[] frame = work.peek();
                int v = frame[0];
                if (frame[1] == 0 && index[v] == -1) {
                    index[v] = low[v] = counter++;
                    stack.push(v);
                    onStack[v] = true;
                }
                if (frame[1] < edges.get(v).size()) {
                    int w = edges.get(v).get(frame[1]++);
                    if (index[w] == -1) {
                        work.push(new int[] {w, 0});
                    } else if (onStack[w]) {
                        low[v] = Math.min(low[v], index[w]);
                    }
                    continue;
                }
                work.pop();
                if (!work.isEmpty()) {
                    int parent = work.peek()[0];
                    low[parent] = Math.min(low[parent], low[v]);
                }
                if (low[v] == index[v]) {
                    List<Integer> component = new ArrayList<>();
                    int w;
                    do {
                        w = stack.pop();
                        onStack[w] = false;
                        component.add(w);
                    } while (w != v);
                    components.add(component);
                }
            }
        }
        return components;
    }

    /** The shortest path from {@code start} back to itself inside one component, start repeated at the end. */
    private static List<Integer> cycleThrough(int start, Set<Integer> component, List<List<Integer>> edges) {
        Map<Integer, Integer> cameFrom = new HashMap<>();
        Deque<Integer> queue = new ArrayDeque<>(List.of(start));
        int last = -1;
        while (!queue.isEmpty() && last == -1) {
            int v = queue.poll();
            for (int w : edges.get(v)) {
                if (w == start) {
                    last = v;
                    break;
                }
                if (component.contains(w) && !cameFrom.containsKey(w)) {
                    cameFrom.put(w, v);
                    queue.add(w);
                }
            }
        }
        List<Integer> path = new ArrayList<>(List.of(start));
        for (int v = last; v != start; v = cameFrom.get(v)) {
            path.add(1, v);
        }
        path.add(start);
        return path;
    }
}
