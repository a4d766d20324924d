package io.tasker.core.template;

import java.util.Collection;
import java.util.Locale;

/** "Did you mean" hints for misspelled keys, step names and template names. */
public final class Suggestions {
    private Suggestions() {}

    /** {@code "; did you mean 'x'?"} for the closest candidate, or an empty string when none is close. */
    public static String didYouMean(String value, Collection<String> candidates) {
        String best = null;
        int bestScore = Integer.MAX_VALUE;
        for (String candidate : candidates) {
            int score = score(value, candidate);
            if (score < bestScore) {
                best = candidate;
                bestScore = score;
            }
        }
        return best == null ? "" : "; did you mean '" + best + "'?";
    }

    /** Lower is closer; {@code Integer.MAX_VALUE} when the candidate is not worth suggesting. */
    private static int score(String value, String candidate) {
        if (normalize(value).equals(normalize(candidate))) {
            return 0;
        }
        int distance = distance(value, candidate);
        if (distance <= 2 && distance < Math.min(value.length(), candidate.length())) {
            return distance;
        }
        String shorter = value.length() < candidate.length() ? value : candidate;
        String longer = shorter == value ? candidate : value;
        return shorter.length() >= 4 && longer.startsWith(shorter) ? 3 : Integer.MAX_VALUE;
    }

    private static String normalize(String text) {
        return text.toLowerCase(Locale.ROOT).replace('-', '_').replace(' ', '_');
    }

    /** Edit distance counting a swap of two neighbouring characters as one edit. */
    private static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
