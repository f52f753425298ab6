/** The reader lives with the audit, which reads synthesized policies too. */
export * from '../../../src/audit/hcl';
