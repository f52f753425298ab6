// Imported first by the waker tests, before any Powertools logger or metrics
// is made: in dev mode both write through the global console, where
// output.ts captures them, so tests read the log lines and EMF metrics the
// function really prints.
process.env.POWERTOOLS_DEV = 'true';
process.env.POWERTOOLS_METRICS_DISABLED = 'false';
process.env.POWERTOOLS_LOG_LEVEL = 'DEBUG';
