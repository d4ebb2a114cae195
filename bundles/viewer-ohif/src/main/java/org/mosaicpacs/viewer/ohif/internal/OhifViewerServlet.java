package org.mosaicpacs.viewer.ohif.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.net.URLConnection;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.zip.CRC32;
import java.util.zip.GZIPOutputStream;

import javax.servlet.Servlet;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletPattern;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the OHIF viewer packed in this bundle at {@code /viewer} on the HTTP Whiteboard, with
 * {@code app-config.js} made from this component's configuration: one DICOMweb data source at
 * the same origin. Files are streamed from the bundle; nothing is fetched from elsewhere.
 */
@Component(service = Servlet.class, configurationPid = OhifViewerServlet.PID)
@Designate(ocd = OhifViewerServlet.Config.class)
@HttpWhiteboardServletName("mosaic-viewer-ohif")
@HttpWhiteboardServletPattern(OhifViewerServlet.BASE + "/*")
public final class OhifViewerServlet extends HttpServlet {

    static final String PID = "org.mosaicpacs.viewer.ohif";
    /** The path the build rewrote OHIF for (see src/build/prepare-ohif.mjs): not configurable at run time. */
    static final String BASE = "/viewer";

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(OhifViewerServlet.class);
    private static final Pattern SERVER_PATH = Pattern.compile("(/[A-Za-z0-9._~%-]+)+");

    @ObjectClassDefinition(name = "Mosaic PACS OHIF viewer", description = "The OHIF viewer at /viewer")
    public @interface Config {
        @AttributeDefinition(description = "Path of this server's DICOMweb service (the base of the "
                + "org.mosaicpacs.dicomweb application) that the viewer queries, at the viewer's origin")
        String dicomWebRoot() default "/dicom-web";

        @AttributeDefinition(description = "Offer OHIF's upload button (STOW-RS) in the study list")
        boolean dicomUploadEnabled() default true;

        @AttributeDefinition(description = "Send Cross-Origin-Opener-Policy and Cross-Origin-Embedder-Policy, "
                + "which give the viewer SharedArrayBuffer (faster volume loading); turn off only to embed "
                + "the viewer in a page of another origin")
        boolean crossOriginIsolation() default true;
    }

    private transient Bundle bundle;
    private transient byte[] appConfig;
    private transient String appConfigTag;
    private transient String filesTag;
    private transient boolean crossOriginIsolation;
    private final transient Map<String, byte[]> gzipCache = new ConcurrentHashMap<>();

    @Activate
    void activate(BundleContext context, Config config) {
        bundle = context.getBundle();
        if (bundle.getEntry(ViewerFiles.ROOT + ViewerFiles.INDEX) == null) {
            throw new IllegalStateException("this bundle holds no " + ViewerFiles.ROOT + ViewerFiles.INDEX
                    + ": it was built without the OHIF viewer (bundles/viewer-ohif, prepare-ohif.mjs)");
        }
        appConfig = appConfig(readEntry("viewer-config/app-config.js"), config);
        CRC32 crc = new CRC32();
        crc.update(appConfig);
        appConfigTag = Long.toHexString(crc.getValue());
        // A bundle update changes every file: its time stamp versions all of them.
        filesTag = Long.toHexString(bundle.getLastModified());
        crossOriginIsolation = config.crossOriginIsolation();
        LOG.info("OHIF viewer at {}/ using DICOMweb at {}", BASE, config.dicomWebRoot());
    }

    /** The configuration script: the bundle's template with this component's settings filled in. */
    static byte[] appConfig(String template, Config config) {
        String root = config.dicomWebRoot().trim();
        if (!SERVER_PATH.matcher(root).matches()) {
            throw new IllegalArgumentException("dicomWebRoot must be a path on this server such as /dicom-web "
                    + "(segments of letters, digits and ._~%-, no trailing slash), is \"" + root + "\"");
        }
        return template.replace("@DICOMWEB_ROOT@", root)
                .replace("@ROUTER_BASENAME@", BASE)
                .replace("@DICOM_UPLOAD_ENABLED@", Boolean.toString(config.dicomUploadEnabled()))
                .getBytes(StandardCharsets.UTF_8);
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String pathInfo = request.getPathInfo();
        if (pathInfo == null) {
            // "/viewer": the router and the rewritten asset paths expect the base with its slash
            String query = request.getQueryString();
            response.sendRedirect(request.getContextPath() + request.getServletPath() + "/"
                    + (query == null ? "" : "?" + query));
            return;
        }
        Optional<String> file = ViewerFiles.normalise(pathInfo);
        if (file.isEmpty()) {
            // the request's path is not echoed into the error page
            response.sendError(HttpServletResponse.SC_BAD_REQUEST, "not a viewer file path (., .., //, \\ or NUL in it)");
            return;
        }
        String path = file.get();
        commonHeaders(response);
        if (path.equals(ViewerFiles.APP_CONFIG)) {
            serveAppConfig(request, response);
            return;
        }
        if (ViewerFiles.isRoute(path)) {
            path = ViewerFiles.INDEX;
        }
        URL entry = bundle.getEntry(ViewerFiles.ROOT + path);
        if (entry == null) {
            LOG.debug("no viewer file {}", path);
            response.sendError(HttpServletResponse.SC_NOT_FOUND, "no such file in the viewer");
            return;
        }
        serveFile(request, response, path, entry);
    }

    private void commonHeaders(HttpServletResponse response) {
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("Cross-Origin-Resource-Policy", "same-origin");
        if (crossOriginIsolation) {
            // Cross-origin isolation lets cornerstone use SharedArrayBuffer for volumes; everything the
            // viewer loads (its files, /dicom-web) is same-origin, so require-corp blocks nothing.
            response.setHeader("Cross-Origin-Opener-Policy", "same-origin");
            response.setHeader("Cross-Origin-Embedder-Policy", "require-corp");
        }
    }

    private void serveAppConfig(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String etag = "\"" + appConfigTag + "\"";
        response.setHeader("ETag", etag);
        response.setHeader("Cache-Control", ViewerFiles.CACHE_REVALIDATE);
        if (notModified(request, etag)) {
            response.setStatus(HttpServletResponse.SC_NOT_MODIFIED);
            return;
        }
        response.setContentType(ViewerFiles.contentType(ViewerFiles.APP_CONFIG));
        response.setContentLength(appConfig.length);
        response.getOutputStream().write(appConfig);
    }

    private void serveFile(HttpServletRequest request, HttpServletResponse response, String path, URL entry)
            throws IOException {
        boolean compressible = ViewerFiles.compressible(path);
        boolean gzip = compressible && ViewerFiles.acceptsGzip(request.getHeader("Accept-Encoding"));
        // Weak: the gzip and identity forms are not byte-identical (RFC 9110 8.8.3).
        String etag = "W/\"" + filesTag + (gzip ? "-gz" : "") + "\"";
        response.setHeader("ETag", etag);
        response.setHeader("Cache-Control", ViewerFiles.cacheControl(path));
        if (compressible) {
            response.setHeader("Vary", "Accept-Encoding");
        }
        if (notModified(request, etag)) {
            response.setStatus(HttpServletResponse.SC_NOT_MODIFIED);
            return;
        }
        response.setContentType(ViewerFiles.contentType(path));
        if (gzip) {
            byte[] body = gzipped(path, entry);
            response.setHeader("Content-Encoding", "gzip");
            response.setContentLength(body.length);
            response.getOutputStream().write(body);
            return;
        }
        URLConnection connection = entry.openConnection();
        try (InputStream in = connection.getInputStream()) {
            long length = connection.getContentLengthLong();
            if (length >= 0) {
                response.setContentLengthLong(length);
            }
            in.transferTo(response.getOutputStream());
        }
    }

    /**
     * The gzip form of a file, made on first request and kept: the bundle's files never change
     * while it runs, and all compressible ones together take about 12 MB compressed (the 17 MB
     * application bundle alone would cost about a second of CPU per request).
     */
    private byte[] gzipped(String path, URL entry) throws IOException {
        byte[] body = gzipCache.get(path);
        if (body == null) {
            ByteArrayOutputStream buffer = new ByteArrayOutputStream();
            try (InputStream in = entry.openStream(); OutputStream out = new GZIPOutputStream(buffer, 64 * 1024)) {
                in.transferTo(out);
            }
            body = buffer.toByteArray();
            gzipCache.putIfAbsent(path, body);
        }
        return body;
    }

    private static boolean notModified(HttpServletRequest request, String etag) {
        String ifNoneMatch = request.getHeader("If-None-Match");
        if (ifNoneMatch == null) {
            return false;
        }
        // If-None-Match uses the weak comparison (RFC 9110 13.1.2)
        String opaque = etag.startsWith("W/") ? etag.substring(2) : etag;
        for (String candidate : ifNoneMatch.split(",")) {
            String c = candidate.trim();
            if (c.equals("*") || (c.startsWith("W/") ? c.substring(2) : c).equals(opaque)) {
                return true;
            }
        }
        return false;
    }

    private String readEntry(String name) {
        URL url = bundle.getEntry(name);
        if (url == null) {
            throw new IllegalStateException("this bundle holds no " + name);
        }
        try (InputStream in = url.openStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + name + " from the bundle", e);
        }
    }

}
