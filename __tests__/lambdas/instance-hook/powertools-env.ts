// Imported first by the instance-hook tests, before Powertools reads the
// environment: logs and metrics go to the global console, where the tests
// read them (see output.ts).
process.env.POWERTOOLS_DEV = 'true';
process.env.POWERTOOLS_METRICS_DISABLED = 'false';
process.env.POWERTOOLS_LOG_LEVEL = 'INFO';
