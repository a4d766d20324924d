package io.tasker.server.cli;

/** Stands in for tasker.jar in {@link ProgramNameTest}: prints what the launcher told it. */
public final class ProgramProbe {
    private ProgramProbe() {}

    public static void main(String[] args) {
        System.out.println(System.getProperty(ProgramName.PROPERTY));
    }
}
