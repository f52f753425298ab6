// Imported first by the waker tests, before the telemetry module reads the
// environment: metrics go to the global console (so tests can read the EMF
// they emit) and log lines are silenced (tests spy on the logger instead).
process.env.POWERTOOLS_DEV = 'true';
process.env.POWERTOOLS_METRICS_DISABLED = 'false';
process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
