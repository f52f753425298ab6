// Imported first by the loop test, before the functions' telemetry modules
// read the environment: their log lines and EMF metrics would bury jest's
// report, and the test asserts the effects on the fake AWS instead.
process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
process.env.POWERTOOLS_METRICS_DISABLED = 'true';
