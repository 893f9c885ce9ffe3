/**
 * How every function is bundled: by the CDK for Lambda (NodejsFunction's esbuild) and by the local
 * runtime for its worker threads alike, so the code `npm start` runs is the code Lambda runs. Both
 * bundle for Node as ESM with linked source maps (Lambda runs them with `--enable-source-maps`).
 */
export const FUNCTION_BUNDLING = {
  target: 'node24',
  minify: true,
  sourcesContent: false,
  mainFields: ['module', 'main'],
  // Some CommonJS dependencies call require(); give the ESM bundle one.
  banner: "import{createRequire as __cr}from'node:module';const require=__cr(import.meta.url);",
  // The AWS SDK v3 ships with the nodejs24.x runtime and stays out of the bundle (NodejsFunction's default too).
  externalModules: ['@aws-sdk/*'],
};
