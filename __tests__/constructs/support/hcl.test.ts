import { readBase64Script, readPolicy } from './hcl';

// The synth tests read policies and user data through this reader; these cases pin down
// that it reads the forms cdktf writes, so a green synth test means what it says.
describe('HCL expression reader used by the synth tests', () => {
  it('reads a jsonencode policy with references, interpolated strings and nested function calls', () => {
    const policy = readPolicy('${jsonencode({"Version" = "2012-10-17", "Statement" = [{"Effect" = "Deny", "Principal" = {"AWS" = aws_iam_role.r.arn}, '
      + '"Action" = ["a:B", "c:D"], "Resource" = "arn:${element(split(":", aws_iam_role.r.arn), 4)}:x/*", "Condition" = {"Bool" = {"k" = "false"}}}]})}');
    expect(policy).toEqual({
      Version: '2012-10-17',
      Statement: [{
        Effect: 'Deny',
        Principal: { AWS: '${aws_iam_role.r.arn}' },
        Action: ['a:B', 'c:D'],
        Resource: 'arn:${element(split(":", aws_iam_role.r.arn), 4)}:x/*',
        Condition: { Bool: { k: 'false' } },
      }],
    });
  });

  it('reads the script inside base64encode with escapes and interpolations', () => {
    expect(readBase64Script('${base64encode("#!/bin/bash\\nA=${aws_ecs_cluster.c.name}\\nB=\\"q\\"\\n")}')).toBe('#!/bin/bash\nA=${aws_ecs_cluster.c.name}\nB="q"\n');
  });

  it('refuses what it cannot read instead of guessing', () => {
    expect(() => readPolicy('{"Version": "2012-10-17"}')).toThrow(/jsonencode/);
    expect(() => readBase64Script('${base64encode("unterminated)}')).toThrow();
  });
});
