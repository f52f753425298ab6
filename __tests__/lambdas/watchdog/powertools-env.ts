// Imported first by the watchdog's handler tests, before the telemetry is
// created: logs and metrics go to the global console as JSON (dev mode), where
// support.ts captures them, so tests can assert the log line and the metric
// a failure leaves.
process.env.POWERTOOLS_DEV = 'true';
process.env.POWERTOOLS_METRICS_DISABLED = 'false';
process.env.POWERTOOLS_LOG_LEVEL = 'INFO';
