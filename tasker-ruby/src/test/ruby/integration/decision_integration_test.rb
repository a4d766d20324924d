# frozen_string_literal: true

require 'test_helper'

module DecisionIt
  # A decision point in tasker-core's style: chooses the steps the task's context lists, none
  # when it lists none.
  class Route < TaskerCore::StepHandler::Decision
    def call(task, _sequence, _step)
      chosen = task.context['choose']
      return decision_no_branches(result_data: { reason: 'nothing to do' }) if chosen.empty?

      decision_success(steps: chosen, result_data: { count: chosen.size }, metadata: { by: 'route' })
    end
  end

  class Branch < TaskerCore::StepHandler::Base
    def call(context)
      success(result: { ran: context.step_name })
    end
  end

  # The convergence step: which steps' results it was given, and what was decided.
  class Converge < TaskerCore::StepHandler::Base
    def call(task, sequence, _step)
      { ran: %w[left right].select { |name| sequence.get_results(name) },
        decided: sequence.get_results('route')['decision_point_outcome']['type'],
        asked: task.context['choose'] }
    end
  end
end

# A Ruby decision handler, in a template of tasker-core's format, on a real worker and database: the
# steps it chooses are created, none, one or several, the convergence step waits for those, and a
# choice the template does not declare fails the decision step.
class DecisionIntegrationTest < Minitest::Test
  include TaskerTest::Integration
  extend TaskerTest::Integration

  NAMESPACE = 'ruby_decision_it'

  TEMPLATE = <<~YAML
    ---
    name: routing
    namespace_name: #{NAMESPACE}
    version: 1.0.0
    steps:
      - name: route
        type: decision
        dependencies: []
        handler:
          callable: DecisionIt::Route
      - name: converge
        type: deferred_convergence
        dependencies: [left, right]
        handler:
          callable: DecisionIt::Converge
      - name: left
        dependencies: [route]
        handler:
          callable: DecisionIt::Branch
      - name: right
        dependencies: [route]
        handler:
          callable: DecisionIt::Branch
  YAML

  CHOICES = { none: [], one: %w[right], several: %w[left right], undeclared: %w[left middle] }.freeze

  # One task per choice, run once for all the tests below.
  def self.tasks
    @tasks ||= with_worker(NAMESPACE, TEMPLATE) do
      ids = CHOICES.transform_values { |choose| create_task(NAMESPACE, 'routing', { 'choose' => choose }) }
      ids.transform_values { |id| await_task(id) }
    end
  end

  def setup
    @tasks = self.class.tasks
  end

  def test_no_branches_runs_the_convergence_step_alone
    task = @tasks[:none]

    assert_equal 'complete', task['state'], task.inspect
    assert_equal %w[route converge], task['steps'].map { |s| s['name'] }
    assert_equal({ 'reason' => 'nothing to do', 'decision_point_outcome' => { 'type' => 'no_branches' } },
                 step(task, 'route')['results'])
    converge = step(task, 'converge')

    assert_equal [[], 'route', 'deferred_convergence'], converge.values_at('dependsOn', 'createdBy', 'type')
    assert_equal({ 'ran' => [], 'decided' => 'no_branches', 'asked' => [] }, converge['results'])
  end

  def test_one_branch_is_created_and_the_convergence_step_waits_for_it
    task = @tasks[:one]

    assert_equal 'complete', task['state'], task.inspect
    assert_equal %w[route converge right], task['steps'].map { |s| s['name'] }
    assert_equal [%w[route], 'route', { 'ran' => 'right' }],
                 step(task, 'right').values_at('dependsOn', 'createdBy', 'results')
    assert_equal %w[right], step(task, 'converge')['dependsOn']
    assert_equal({ 'ran' => %w[right], 'decided' => 'create_steps', 'asked' => %w[right] },
                 step(task, 'converge')['results'])
  end

  def test_several_branches_are_created_and_the_convergence_step_waits_for_all
    task = @tasks[:several]

    assert_equal 'complete', task['state'], task.inspect
    assert_equal %w[route converge left right], task['steps'].map { |s| s['name'] }
    assert_equal({ 'count' => 2, 'decision_point_outcome' => { 'type' => 'create_steps',
                                                               'step_names' => %w[left right] } },
                 step(task, 'route')['results'])
    assert_equal %w[left right], step(task, 'converge')['dependsOn']
    assert_equal({ 'ran' => %w[left right], 'decided' => 'create_steps', 'asked' => %w[left right] },
                 step(task, 'converge')['results'])
  end

  def test_a_choice_the_template_does_not_declare_fails_the_decision_step
    task = @tasks[:undeclared]
    route = step(task, 'route')

    assert_equal 'error', task['state']
    assert_equal %w[route], task['steps'].map { |s| s['name'] }
    assert_equal ['error', 1], route.values_at('state', 'attempts')
    assert_equal "decision step 'route' chose 'middle', which its template does not declare; it may choose left, " \
                 'right', route.dig('lastError', 'message')
    assert_equal ['InvalidDecision', false], route['lastError'].values_at('error_type', 'retryable')
  end
end
