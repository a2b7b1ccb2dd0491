import { describe, expect, it } from 'vitest';
import { containsSecret, REDACTED, redact, redactAll, redactDeep } from './redact.ts';

// Fake credentials assembled at run time so secret scanners do not flag this file.
const GHP = `ghp_${'a1B2c3D4e5'.repeat(4).slice(0, 36)}`;
const PAT = `github_pat_${'11ABCDEFG0'.repeat(3)}_${'x'.repeat(59)}`;
const JWT = `eyJhbGciOiJIUzI1NiJ9.${'eyJzdWIiOiIxMjM0NTY3ODkwIn0'}.${'dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U'}`;
const AKIA = `AKIA${'IOSFODNN7EXAMPLE'}`;
const AIZA = `AIza${'SyA1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q'}`;
const SLACK = `xoxb-${'123456789012'}-${'1234567890123'}-${'AbCdEfGhIjKlMnOpQrStUvWx'}`;
const PEM = [
  '-----BEGIN RSA PRIVATE KEY-----',
  'MIIEpAIBAAKCAQEA7bq0i1Kd1mS0Y5kKq0F3Yg8x',
  'b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9u',
  '-----END RSA PRIVATE KEY-----',
].join('\n');

describe('redact: must redact', () => {
  const cases: [string, string, string][] = [
    ['postgres DSN', 'dial postgres://app:s3cr3t@db.internal:5432/app failed', 'dial postgres://app:***@db.internal:5432/app failed'],
    ['postgresql DSN with @ in password', 'postgresql://app:p@ss@db:5432/x', 'postgresql://app:***@db:5432/x'],
    ['redis without user', 'REDIS_URL=redis://:hunter2@cache:6379/0', 'REDIS_URL=redis://:***@cache:6379/0'],
    ['rediss', 'rediss://default:abc123@redis.example.com:6380', 'rediss://default:***@redis.example.com:6380'],
    ['mysql', 'mysql://root:toor@127.0.0.1/db', 'mysql://root:***@127.0.0.1/db'],
    ['amqp', 'amqp://guest:guest@rabbit:5672/', 'amqp://guest:***@rabbit:5672/'],
    ['mongodb+srv', 'mongodb+srv://admin:Pa55w0rd@cluster0.mongodb.net/test?retryWrites=true', 'mongodb+srv://admin:***@cluster0.mongodb.net/test?retryWrites=true'],
    ['https basic auth', 'git clone https://bot:tok123@github.com/o/r.git', 'git clone https://bot:***@github.com/o/r.git'],
    ['password=', 'connect user=app password=hunter2 host=db', 'connect user=app password=*** host=db'],
    ['PGPASSWORD', 'PGPASSWORD=s3cr3t psql -h db', 'PGPASSWORD=*** psql -h db'],
    ['DB_PASSWORD in YAML', '  DB_PASSWORD: "hunter 2"', '  DB_PASSWORD: "***"'],
    ['JSON password', '{"user": "app", "password": "hunter2"}', '{"user": "app", "password": "***"}'],
    ['single-quoted', "password='x y z'", "password='***'"],
    ['MYSQL_PWD', 'MYSQL_PWD=toor mysql', 'MYSQL_PWD=*** mysql'],
    ['client_secret', 'client_secret=abcDEF123&grant_type=x', 'client_secret=***&grant_type=x'],
    ['api key', 'X-Api-Key: 0123456789abcdef', 'X-Api-Key: ***'],
    ['aws secret', 'aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', 'aws_secret_access_key = ***'],
    ['Authorization Bearer', 'Authorization: Bearer abc.def.ghi', 'Authorization: Bearer ***'],
    ['Authorization Basic', 'authorization: Basic dXNlcjpwYXNz', 'authorization: Basic ***'],
    ['JSON Authorization', '{"Authorization": "token abc123"}', '{"Authorization": "token ***"}'],
    ['bare bearer', 'curl -H "x: Bearer 9f8e7d6c5b4a39281"', 'curl -H "x: Bearer ***"'],
    ['--password flag', 'mysqldump --password=hunter2 db', 'mysqldump --password=*** db'],
    ['--db-token flag with space', 'tool --db-token abc123 run', 'tool --db-token *** run'],
    ['ghp token', `using ${GHP} now`, 'using ghp_*** now'],
    ['fine-grained PAT', `GH=${PAT}`, 'GH=github_pat_***'],
    ['AWS access key id', `aws_access_key_id=${AKIA}`, 'aws_access_key_id=AKIA***'],
    ['GCP api key', `key ${AIZA} used`, 'key *** used'],
    ['Slack token', `slack ${SLACK}`, 'slack xoxb-***'],
    ['Slack webhook', 'https://hooks.slack.com/services/T0000/B0000/XXXXXXXXXXXX', 'https://hooks.slack.com/services/***'],
    ['JWT', `session ${JWT} expired`, 'session *** expired'],
    ['PEM block', `key:\n${PEM}\nafter`, 'key:\n-----BEGIN RSA PRIVATE KEY-----***-----END RSA PRIVATE KEY-----\nafter'],
    [
      'PEM in JSON with escaped newlines',
      '{"private_key": "-----BEGIN PRIVATE KEY-----\\nMIIEvQIBADANBg\\n-----END PRIVATE KEY-----\\n"}',
      '{"private_key": "***"}',
    ],
    ['unterminated PEM', '-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEI', '-----BEGIN EC PRIVATE KEY-----***-----END EC PRIVATE KEY-----'],
  ];
  it.each(cases)('%s', (_name, input, expected) => {
    expect(redact(input)).toBe(expected);
    expect(containsSecret(input)).toBe(true);
  });
});

describe('redact: must keep', () => {
  const keep = [
    'postgres://user@host/db',
    'postgresql://app@/app?host=/cloudsql/netra-staging:us-central1:staging-shared-postgres',
    'connection to /cloudsql/proj:region:inst/.s.PGSQL.5432 failed: No such file or directory',
    'commit 3f2c9a1b7e4d5c6f8a9b0c1d2e3f4a5b6c7d8e9f fixes the timeout',
    'Error -3 connecting to redis-staging:6379. Temporary failure in name resolution.',
    'GET http://localhost:8080/health 503 in 75.0s',
    'http://host:8080/path@v2/file',
    'max_tokens: 4096, secretName: db-creds',
    'PWD=/home/runner/work',
    'bearer authentication is required',
    'password: ***',
    'password=${DB_PASSWORD}',
    'request id 550e8400-e29b-41d4-a716-446655440000',
    'the token bucket is empty; asia-east1 is healthy',
    '',
  ];
  it.each(keep)('%j', (input) => {
    expect(redact(input)).toBe(input);
    expect(containsSecret(input)).toBe(false);
  });
});

describe('redact: properties', () => {
  it('is idempotent', () => {
    const once = redact(`postgres://a:b@h ${GHP} password=x ${JWT} Authorization: Bearer zz99zz99`);
    expect(redact(once)).toBe(once);
    expect(once).toBe('postgres://a:***@h ghp_*** password=*** *** Authorization: Bearer ***');
  });

  it('redacts several secrets on one line in one pass', () => {
    expect(redact(`a=postgres://u:p@h b=${AKIA} c=${AIZA}`)).toBe('a=postgres://u:***@h b=AKIA*** c=***');
  });

  it('redactAll keeps order; redactDeep walks objects and arrays', () => {
    expect(redactAll(['password=x', 'plain'])).toEqual(['password=***', 'plain']);
    expect(redactDeep({ a: ['redis://:pw@h'], b: { c: 'PGPASSWORD=z', n: 3, t: true, z: null } })).toEqual({
      a: ['redis://:***@h'],
      b: { c: 'PGPASSWORD=***', n: 3, t: true, z: null },
    });
  });

  it('exports the replacement marker', () => {
    expect(REDACTED).toBe('***');
  });

  it('stays linear on adversarial input (no catastrophic backtracking)', () => {
    // Not a timing assertion: these would hang for minutes with unbounded quantifiers.
    const inputs = [
      'a.'.repeat(50_000),
      `${'x'.repeat(100_000)}://`,
      `postgres://${':'.repeat(50_000)}`,
      `password=${'a'.repeat(100_000)}`,
      'eyJ'.repeat(30_000),
      `-----BEGIN PRIVATE KEY-----${'A'.repeat(100_000)}`,
      'Authorization: '.repeat(10_000),
    ];
    for (const input of inputs) expect(typeof redact(input)).toBe('string');
  });
});
