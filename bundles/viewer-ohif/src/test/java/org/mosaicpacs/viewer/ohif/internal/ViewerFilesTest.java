package org.mosaicpacs.viewer.ohif.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.annotation.Annotation;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class ViewerFilesTest {

    @Test
    void pathsBelowTheBaseNameFilesAndTraversalIsRefused() {
        assertThat(ViewerFiles.normalise(null)).contains("/index.html");
        assertThat(ViewerFiles.normalise("/")).contains("/index.html");
        assertThat(ViewerFiles.normalise("/app.bundle.0f6159c501addfe9.js")).contains("/app.bundle.0f6159c501addfe9.js");
        assertThat(ViewerFiles.normalise("/assets/images/CT-Bone.png")).contains("/assets/images/CT-Bone.png");
        for (String bad : new String[] {"/../OSGI-INF/x", "/assets/../../x", "/./index.html", "/a\\b", "//etc",
                "/assets//x.png", "/a\0.js", "index.html"}) {
            assertThat(ViewerFiles.normalise(bad)).as(bad).isEqualTo(Optional.empty());
        }
    }

    @Test
    void routesAreThePathsWithoutAnExtension() {
        assertThat(ViewerFiles.isRoute("/viewer")).isTrue();
        assertThat(ViewerFiles.isRoute("/segmentation")).isTrue();
        assertThat(ViewerFiles.isRoute("/viewer/dicomjson")).isTrue();
        assertThat(ViewerFiles.isRoute("/assets/")).isTrue();
        assertThat(ViewerFiles.isRoute("/missing.bundle.js")).isFalse();
        assertThat(ViewerFiles.isRoute("/index.html")).isFalse();
    }

    @Test
    void contentTypesAreTheOnesBrowsersInsistOn() {
        assertThat(ViewerFiles.contentType("/5130ccb17e3f3f5b.wasm")).isEqualTo("application/wasm");
        assertThat(ViewerFiles.contentType("/app.bundle.0f6159c501addfe9.js")).isEqualTo("text/javascript; charset=utf-8");
        assertThat(ViewerFiles.contentType("/app.bundle.css")).isEqualTo("text/css; charset=utf-8");
        assertThat(ViewerFiles.contentType("/index.html")).isEqualTo("text/html; charset=utf-8");
        assertThat(ViewerFiles.contentType("/a34f9d1faa5f3315.woff2")).isEqualTo("font/woff2");
        assertThat(ViewerFiles.contentType("/customizations/tools/x.jsonc")).isEqualTo("application/json");
        assertThat(ViewerFiles.contentType("/thing.unknown")).isEqualTo("application/octet-stream");
        assertThat(ViewerFiles.compressible("/5130ccb17e3f3f5b.wasm")).isTrue();
        assertThat(ViewerFiles.compressible("/assets/favicon-16x16.png")).isFalse();
    }

    @Test
    void onlyContentHashedNamesAreCachedForever() {
        assertThat(ViewerFiles.cacheControl("/2493.bundle.c4af70e46357151f.js")).isEqualTo(ViewerFiles.CACHE_IMMUTABLE);
        assertThat(ViewerFiles.cacheControl("/5130ccb17e3f3f5b.wasm")).isEqualTo(ViewerFiles.CACHE_IMMUTABLE);
        assertThat(ViewerFiles.cacheControl("/a34f9d1faa5f3315.woff2")).isEqualTo(ViewerFiles.CACHE_IMMUTABLE);
        assertThat(ViewerFiles.cacheControl("/index.html")).isEqualTo(ViewerFiles.CACHE_REVALIDATE);
        assertThat(ViewerFiles.cacheControl("/app-config.js")).isEqualTo(ViewerFiles.CACHE_REVALIDATE);
        assertThat(ViewerFiles.cacheControl("/3760.css")).isEqualTo(ViewerFiles.CACHE_REVALIDATE);
        assertThat(ViewerFiles.cacheControl("/dicom-microscopy-viewer/dicomMicroscopyViewer.min.js"))
                .isEqualTo(ViewerFiles.CACHE_REVALIDATE);
    }

    @Test
    void gzipIsUsedWhenTheClientAdmitsIt() {
        assertThat(ViewerFiles.acceptsGzip("gzip, deflate, br, zstd")).isTrue();
        assertThat(ViewerFiles.acceptsGzip("br;q=1.0, gzip;q=0.8")).isTrue();
        assertThat(ViewerFiles.acceptsGzip("*")).isTrue();
        assertThat(ViewerFiles.acceptsGzip("gzip;q=0, *")).isFalse();
        assertThat(ViewerFiles.acceptsGzip("identity")).isFalse();
        assertThat(ViewerFiles.acceptsGzip(null)).isFalse();
    }

    @Test
    void appConfigPointsTheOneDataSourceAtTheConfiguredDicomWebPath() throws Exception {
        String template = Files.readString(Path.of("src/main/resources/viewer-config/app-config.js"), StandardCharsets.UTF_8);
        String js = new String(OhifViewerServlet.appConfig(template, config("/dicom-web", true)), StandardCharsets.UTF_8);
        assertThat(js).contains("window.location.origin + '/dicom-web'")
                .contains("routerBasename: '/viewer'")
                .contains("dicomUploadEnabled: true")
                .doesNotContain("@DICOMWEB_ROOT@", "@ROUTER_BASENAME@", "@DICOM_UPLOAD_ENABLED@", "http://", "https://");
        assertThat(new String(OhifViewerServlet.appConfig(template, config("/pacs/dicom-web", false)), StandardCharsets.UTF_8))
                .contains("'/pacs/dicom-web'").contains("dicomUploadEnabled: false");
        for (String bad : new String[] {"dicom-web", "/dicom-web/", "/x'+alert(1)+'", "https://other.example/dicom-web", ""}) {
            assertThatThrownBy(() -> OhifViewerServlet.appConfig(template, config(bad, true))).as(bad)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("dicomWebRoot");
        }
    }

    private static OhifViewerServlet.Config config(String root, boolean upload) {
        return new OhifViewerServlet.Config() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return OhifViewerServlet.Config.class;
            }

            @Override
            public String dicomWebRoot() {
                return root;
            }

            @Override
            public boolean dicomUploadEnabled() {
                return upload;
            }

            @Override
            public boolean crossOriginIsolation() {
                return true;
            }
        };
    }
}
