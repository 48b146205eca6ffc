package io.jnetstack.jfr;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import jdk.jfr.Configuration;

/**
 * The settings file that enables jnetstack's events, {@value #RESOURCE} on the class path (in the
 * stack's jar and the -all jar). {@code -XX:StartFlightRecording} reads settings from a file, so a
 * command line extracts it first (README, "JFR events"); a program recording itself uses
 * {@link #jnetstack()}.
 */
public final class JfrSettings {
    /** Where the settings file is on the class path. */
    public static final String RESOURCE = "io/jnetstack/jfr/jnetstack.jfc";

    private JfrSettings() {
    }

    /** The settings of jnetstack.jfc, for {@code new Recording(JfrSettings.jnetstack())}. */
    public static Configuration jnetstack() {
        try (InputStream in = JfrSettings.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the class path");
            }
            try (Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8)) {
                return Configuration.create(reader);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        } catch (ParseException e) {
            throw new IllegalStateException(RESOURCE + " is not a valid JFR settings file", e);
        }
    }
}
