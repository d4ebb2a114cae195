package org.mosaicpacs.viewer.ohif.internal;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * How the viewer's files are answered: which request path maps to which file of the bundle,
 * with which Content-Type, cache policy and compression. Pure rules, no I/O, so that they are
 * tested without a framework.
 *
 * <p>OHIF is a single-page application: its router owns every path below the base
 * ({@code /viewer/viewer?StudyInstanceUIDs=...}, {@code /viewer/segmentation}, ...), so a path
 * that names no file and looks like a route (no extension in its last segment) gets
 * {@code index.html}; a missing file with an extension stays a 404, so that a broken asset
 * reference is seen as one.
 */
final class ViewerFiles {

    /** Folder of the viewer inside the bundle (written by src/build/prepare-ohif.mjs). */
    static final String ROOT = "viewer";
    static final String INDEX = "/index.html";
    static final String APP_CONFIG = "/app-config.js";

    /**
     * Webpack's content-hashed names: {@code 2493.bundle.c4af70e46357151f.js},
     * {@code 5130ccb17e3f3f5b.wasm}. Their content never changes under the same name.
     */
    private static final Pattern HASHED = Pattern.compile("(^|.*\\.)[0-9a-f]{16}\\.[a-z0-9]+$");

    private static final Map<String, String> CONTENT_TYPES = Map.ofEntries(
            Map.entry("html", "text/html; charset=utf-8"),
            // RFC 9239: text/javascript is the JavaScript media type
            Map.entry("js", "text/javascript; charset=utf-8"),
            Map.entry("mjs", "text/javascript; charset=utf-8"),
            Map.entry("css", "text/css; charset=utf-8"),
            Map.entry("json", "application/json"),
            Map.entry("jsonc", "application/json"),
            Map.entry("webapp", "application/x-web-app-manifest+json"),
            // WebAssembly.instantiateStreaming requires exactly this type
            Map.entry("wasm", "application/wasm"),
            Map.entry("svg", "image/svg+xml"),
            Map.entry("png", "image/png"),
            Map.entry("ico", "image/x-icon"),
            Map.entry("xml", "application/xml"),
            Map.entry("woff2", "font/woff2"),
            Map.entry("woff", "font/woff"),
            Map.entry("ttf", "font/ttf"),
            Map.entry("txt", "text/plain; charset=utf-8"));

    /** Types worth compressing on the way out; images and fonts are compressed already. */
    private static final Set<String> COMPRESSIBLE = Set.of(
            "html", "js", "mjs", "css", "json", "jsonc", "webapp", "wasm", "svg", "xml", "txt", "ico");

    static final String CACHE_IMMUTABLE = "public, max-age=31536000, immutable";
    /** Unhashed files (index.html, app-config.js, CSS chunks named by number): revalidate each time. */
    static final String CACHE_REVALIDATE = "no-cache";

    private ViewerFiles() {
    }

    /**
     * The file a request path below the viewer's base names, as a path starting with {@code /}
     * ({@code ""} and {@code "/"} are the index). Empty for paths that try to leave the viewer
     * folder or carry characters no file of ours has.
     */
    static Optional<String> normalise(String pathInfo) {
        if (pathInfo == null || pathInfo.isEmpty() || pathInfo.equals("/")) {
            return Optional.of(INDEX);
        }
        if (!pathInfo.startsWith("/") || pathInfo.contains("\\") || pathInfo.contains("\0")
                || pathInfo.contains("//")) {
            return Optional.empty();
        }
        for (String segment : pathInfo.substring(1).split("/", -1)) {
            if (segment.equals("..") || segment.equals(".")) {
                return Optional.empty();
            }
        }
        return Optional.of(pathInfo);
    }

    /** Whether a path that names no file is one of the router's routes (answered with index.html). */
    static boolean isRoute(String path) {
        String last = path.substring(path.lastIndexOf('/') + 1);
        return last.indexOf('.') < 0;
    }

    static String contentType(String path) {
        return CONTENT_TYPES.getOrDefault(extension(path), "application/octet-stream");
    }

    static boolean compressible(String path) {
        return COMPRESSIBLE.contains(extension(path));
    }

    static String cacheControl(String path) {
        String name = path.substring(path.lastIndexOf('/') + 1);
        return HASHED.matcher(name).matches() ? CACHE_IMMUTABLE : CACHE_REVALIDATE;
    }

    /**
     * Whether an Accept-Encoding header admits gzip (RFC 9110 12.5.3): an explicit gzip entry
     * decides, "gzip;q=0" refusing it; otherwise "*" with a non-zero weight admits it.
     */
    static boolean acceptsGzip(String acceptEncoding) {
        if (acceptEncoding == null) {
            return false;
        }
        Double gzip = null;
        Double any = null;
        for (String coding : acceptEncoding.split(",")) {
            String[] parts = coding.trim().split(";");
            String name = parts[0].trim().toLowerCase(Locale.ROOT);
            double q = 1;
            for (int i = 1; i < parts.length; i++) {
                String p = parts[i].trim();
                if (p.startsWith("q=")) {
                    try {
                        q = Double.parseDouble(p.substring(2));
                    } catch (NumberFormatException e) {
                        q = 0;
                    }
                }
            }
            if (name.equals("gzip") || name.equals("x-gzip")) {
                gzip = q;
            } else if (name.equals("*")) {
                any = q;
            }
        }
        return gzip != null ? gzip > 0 : any != null && any > 0;
    }

    private static String extension(String path) {
        String name = path.substring(path.lastIndexOf('/') + 1);
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    }
}
