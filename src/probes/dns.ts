import { promises as dns } from 'node:dns';
import type { DnsProbeCheck } from './probe-schema.ts';
import { errorCode, errorMessage, type Probe, ProbeSetupError, splitHostPort } from './probe.ts';

// ANY_ADDRESS without a server goes through getaddrinfo, as applications (and the Redis
// client that printed "error -3", i.e. EAI_AGAIN) do; a `server` or an explicit record type
// uses c-ares, which says SERVFAIL / timeout / refused where getaddrinfo only says EAI_AGAIN.

function dnsCode(err: unknown): string {
  const code = (err as { code?: unknown })?.code;
  if (code === 'ECONNREFUSED') return 'EREFUSED'; // c-ares: could not contact the DNS server
  if (code === 'ECANCELLED') return 'ETIMEDOUT';
  return errorCode(err, 'DNS_ERROR');
}

async function resolveBoth(resolver: dns.Resolver, name: string): Promise<string[]> {
  const [v4, v6] = await Promise.allSettled([resolver.resolve4(name), resolver.resolve6(name)]);
  const found = [...(v4.status === 'fulfilled' ? v4.value : []), ...(v6.status === 'fulfilled' ? v6.value : [])];
  if (found.length > 0) return found;
  throw v4.status === 'rejected' ? v4.reason : v6.status === 'rejected' ? v6.reason : Object.assign(new Error('no addresses'), { code: 'ENODATA' });
}

export const dnsProbe: Probe<DnsProbeCheck> = {
  kind: 'dns',
  target: (c) => `dns://${c.server ?? 'system'}/${c.name}${c.type === 'ANY_ADDRESS' ? '' : `?type=${c.type}`}`,
  async run(check, ctx) {
    let addresses: string[];
    try {
      if (check.server === undefined && check.type === 'ANY_ADDRESS') {
        addresses = (await dns.lookup(check.name, { all: true })).map((a) => a.address);
      } else {
        const resolver = new dns.Resolver({ timeout: Math.max(1, ctx.timeoutMs), tries: 1 });
        if (check.server !== undefined) {
          const { host, port } = splitHostPort(check.server, 53);
          if (!Number.isInteger(port) || port < 1 || port > 65_535) throw new ProbeSetupError('CONFIG_INVALID', `server: invalid port in ${check.server}`);
          try {
            resolver.setServers([host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`]);
          } catch (e) {
            throw new ProbeSetupError('CONFIG_INVALID', `server: ${errorMessage(e)}`);
          }
        }
        ctx.track(() => resolver.cancel());
        addresses =
          check.type === 'AAAA'
            ? await resolver.resolve6(check.name)
            : check.type === 'A'
              ? await resolver.resolve4(check.name)
              : await resolveBoth(resolver, check.name);
      }
    } catch (e) {
      if (e instanceof ProbeSetupError) throw e;
      const code = dnsCode(e);
      return { status: 'failed', observed: { name: check.name }, code, message: `resolve ${check.name}: ${code}${code === 'EAI_AGAIN' ? ' (temporary failure in name resolution, "error -3")' : ''}` };
    }
    const observed = { name: check.name, addresses: addresses.join(','), count: addresses.length };
    if (check.expect && !check.expect.some((a) => addresses.includes(a))) {
      return { status: 'failed', observed, code: 'DNS_UNEXPECTED_ADDRESS', message: `${check.name} resolves to ${addresses.join(', ') || 'nothing'}, expected one of ${check.expect.join(', ')}` };
    }
    return { status: 'ok', observed };
  },
};
