package io.tasker.examples.math;

import com.fasterxml.jackson.databind.JsonNode;
import io.tasker.worker.handler.PermanentException;

import java.math.BigInteger;

/**
 * The result of every math example step, {@code {"value": <integer>}}. Values grow past any
 * fixed-width type within a few steps (n to the 32nd), so they are always {@link BigInteger}.
 */
public record Value(BigInteger value) {

    /**
     * Reads an integer from a JSON number. Anything else is a permanent failure: retrying cannot
     * turn a string or a fraction into an integer.
     *
     * @param what names the value in the error message, e.g. {@code "context.even_number"}
     */
    static BigInteger integer(JsonNode node, String what) {
        if (node == null || node.isMissingNode() || node.isNull()) {
            throw new PermanentException(what + " is missing; it must be an integer");
        }
        if (!node.isIntegralNumber()) {
            throw new PermanentException(what + " must be an integer, got " + node);
        }
        return node.bigIntegerValue();
    }

    /** The {@code value} of a parent step's result. */
    static BigInteger ofStep(JsonNode result, String stepName) {
        if (result == null) {
            throw new PermanentException("step " + stepName + " has no result to use");
        }
        return integer(result.get("value"), "the result of step " + stepName + ".value");
    }
}
