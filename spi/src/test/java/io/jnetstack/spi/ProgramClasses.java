package io.jnetstack.spi;

import java.io.IOException;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/** The unmodified programs of src/test/resources/programs, compiled and loaded into the test JVM. */
final class ProgramClasses {
    private ProgramClasses() {
    }

    /** Compiles {@code program} (e.g. "TcpEcho.java") and loads its public class. */
    static Class<?> load(String program) throws IOException, ClassNotFoundException {
        Path source = Path.of("src/test/resources/programs", program).toAbsolutePath();
        Path classes = Files.createTempDirectory("jnetstack-program");
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        int exit = javac.run(null, null, null, "-d", classes.toString(), source.toString());
        if (exit != 0) {
            throw new IllegalStateException("javac failed on " + source);
        }
        String className = program.substring(0, program.length() - ".java".length());
        ClassLoader loader = new URLClassLoader(new java.net.URL[] {classes.toUri().toURL()}, ProgramClasses.class.getClassLoader());
        return loader.loadClass(className);
    }
}
