// The other mode of powertools-env.ts, for the loop simulation: the
// functions' log lines and EMF metrics would bury jest's report, and those
// tests assert the effects on the fake AWS instead. Import first.
process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
process.env.POWERTOOLS_METRICS_DISABLED = 'true';
