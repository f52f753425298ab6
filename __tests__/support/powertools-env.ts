// Import first (before anything that creates a Powertools logger or metrics):
// in dev mode Powertools writes its JSON log lines and EMF metric documents
// through the global console, where powertools-output.ts reads them back, so
// tests assert the lines and metrics a function really prints. Every level
// is printed, so a test sees all the function says.
// For suites that assert effects only and want quiet output, import
// powertools-env-silent.ts instead.
process.env.POWERTOOLS_DEV = 'true';
process.env.POWERTOOLS_METRICS_DISABLED = 'false';
process.env.POWERTOOLS_LOG_LEVEL = 'DEBUG';
