/*
 * OHIF viewer configuration served by Mosaic PACS (bundle org.mosaicpacs.viewer.ohif).
 * One data source: this server's DICOMweb service, at the same origin as the viewer, so no CORS
 * and nothing outside this server. The servlet fills in the placeholders from its configuration
 * (PID org.mosaicpacs.viewer.ohif).
 */
(function () {
  var dicomWeb = window.location.origin + '@DICOMWEB_ROOT@';
  window.config = {
    name: 'mosaic-pacs',
    routerBasename: '@ROUTER_BASENAME@',
    extensions: [],
    modes: [],
    customizationService: {},
    showStudyList: true,
    maxNumberOfWebWorkers: 3,
    showWarningMessageForCrossOrigin: false,
    showCPUFallbackMessage: true,
    showLoadingIndicator: true,
    strictZSpacingForVolumeViewport: true,
    groupEnabledModesFirst: true,
    maxNumRequests: { interaction: 100, thumbnail: 75, prefetch: 25 },
    showErrorDetails: 'production',
    // Series-level uploads go to STOW-RS (the upload button of the study list).
    dicomUploadEnabled: @DICOM_UPLOAD_ENABLED@,
    defaultDataSourceName: 'mosaic',
    dataSources: [
      {
        namespace: '@ohif/extension-default.dataSourcesModule.dicomweb',
        sourceName: 'mosaic',
        configuration: {
          friendlyName: 'Mosaic PACS',
          name: 'mosaic',
          qidoRoot: dicomWeb,
          wadoRoot: dicomWeb,
          wadoUriRoot: dicomWeb + '/wado',
          // QIDO-RS here takes includefield, fuzzymatching and * / ? wildcards (PS3.18 8.3.4).
          qidoSupportsIncludeField: true,
          supportsFuzzyMatching: true,
          supportsWildcard: true,
          supportsReject: false,
          imageRendering: 'wadors',
          thumbnailRendering: 'wadors',
          enableStudyLazyLoad: true,
          // Frames, bulk data and instances come as multipart/related, each part labelled with its
          // transfer-syntax; the Accept type parameter may be quoted or not.
          omitQuotationForMultipartRequest: true,
          bulkDataURI: { enabled: true },
        },
      },
    ],
    httpErrorHandler: function (error) {
      console.warn('DICOMweb request failed', error && error.status);
    },
  };
})();
