package io.streamlake.definitions;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How SCDF 2.11.5 reads an app import file ({@code DefaultAppRegistryService.createAppRegistrations} and
 * {@code AppResourceCommon.getUrlResourceVersion}), rule for rule, so the registration files are checked as the server
 * reads them rather than as {@link java.util.Properties} would:
 * <ul>
 *   <li>lines are taken in file order; a line is an entry when splitting it at "=" gives exactly two parts (so a
 *       comment line with one "=" is an entry too, and a line with two is silently dropped);</li>
 *   <li>keys are {@code type.name}, {@code type.name.metadata} or {@code type.name.bootVersion}, anything else is refused;</li>
 *   <li>a {@code bootVersion} line must come right after a line of the same app (its uri or its metadata), with the
 *       value 2 or 3;</li>
 *   <li>the version of a {@code file:} or {@code http:} uri is read from the file name,
 *       {@code <artifactId>-<version>[-metadata].jar}.</li>
 * </ul>
 */
final class ScdfAppImport {

    private static final Set<String> TYPES = Set.of("app", "source", "processor", "sink", "task");
    private static final Pattern URL_VERSION = Pattern.compile("(.*)-(\\d)(.*?)(-metadata)?\\.jar");

    /** One app as SCDF registers it. */
    static final class Registration {
        final String type;
        final String name;
        String uri;
        String metadataUri;
        String bootVersion = "2"; // SCDF's default when the file does not say

        Registration(String type, String name) {
            this.type = type;
            this.name = name;
        }

        String key() {
            return type + "." + name;
        }
    }

    private ScdfAppImport() {
    }

    /** The registrations SCDF makes of the file's text, or its error. */
    static List<Registration> read(String text) {
        List<Registration> registrations = new ArrayList<>();
        Registration previous = null;
        for (String line : text.split("\\R")) {
            String[] split = line.split("=");
            if (split.length != 2) {
                continue;
            }
            String[] key = split[0].split("\\.");
            if (key.length < 2 || key.length > 3 || (key.length == 3 && !Set.of("metadata", "bootVersion").contains(key[2]))) {
                throw new IllegalArgumentException("Invalid format for app key '" + split[0]
                        + "'in file. Must be <type>.<name> or <type>.<name>.metadata or <type>.<name>.bootVersion");
            }
            String type = key[0].strip();
            if (!TYPES.contains(type)) {
                throw new IllegalArgumentException("No enum constant ApplicationType." + type);
            }
            String name = key[1];
            if (key.length == 3 && key[2].equals("bootVersion")) {
                if (previous == null) {
                    throw new IllegalArgumentException("Expected uri for bootVersion:" + split[0]);
                }
                if (!(type.equals(previous.type) && name.equals(previous.name))) {
                    throw new IllegalArgumentException("Expected previous to be same type and name for:" + split[0]);
                }
                if (!Set.of("2", "3").contains(split[1].strip())) {
                    throw new IllegalArgumentException("Invalid AppBootSchemaVersion: " + split[1]);
                }
                previous.bootVersion = split[1].strip();
                continue;
            }
            Registration r = registrations.stream().filter(x -> x.type.equals(type) && x.name.equals(name)).findFirst()
                    .orElseGet(() -> {
                        Registration created = new Registration(type, name);
                        registrations.add(created);
                        return created;
                    });
            String uri = split[1].strip();
            version(uri);
            if (key.length == 3) {
                r.metadataUri = uri;
            } else {
                r.uri = uri;
            }
            previous = r;
        }
        return registrations;
    }

    /** The version SCDF reads from a uri; refused as SCDF refuses it. */
    static String version(String uri) {
        String scheme = uri.substring(0, Math.max(0, uri.indexOf(':'))).toLowerCase(Locale.ROOT);
        if (scheme.equals("maven")) {
            String[] coordinates = uri.substring("maven://".length()).split(":");
            return coordinates[coordinates.length - 1];
        }
        String file = uri.substring(uri.lastIndexOf('/') + 1);
        Matcher m = URL_VERSION.matcher(file);
        if (!m.matches()) {
            throw new IllegalArgumentException("Could not parse version from " + uri
                    + ", expected format is <artifactId>-<version>.jar");
        }
        return m.group(2) + m.group(3);
    }
}
