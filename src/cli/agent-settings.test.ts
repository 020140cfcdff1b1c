import { describe, expect, it } from 'vitest';
import { AGENT_FLAGS_OF_CONFIG, agentConfigSchema, resolveAgentSettings } from './agent-settings.js';
import { AGENT, GLOBAL_OPTIONS } from './command-table.js';

const defaults = { outboxDir: '/var/lib/kubectl-smart/outbox' };

describe('resolveAgentSettings: leader election', () => {
  it('is off unless asked for: one replica observes on its own', () => {
    expect(resolveAgentSettings({}, {}, {}, defaults).leaderElection).toBeUndefined();
  });

  it('on with --leader-elect: the Lease in the pod’s namespace, client-go’s timing', () => {
    expect(
      resolveAgentSettings({ leaderElect: true }, { POD_NAMESPACE: 'kubectl-smart' }, {}, defaults)
        .leaderElection,
    ).toEqual({
      namespace: 'kubectl-smart',
      name: 'kubectl-smart-agent',
      timing: { leaseDurationMs: 15_000, renewDeadlineMs: 10_000, retryPeriodMs: 2_000 },
    });
  });

  it('flags over SMART_* over the config file over POD_NAMESPACE; a lease duration alone scales the rest', () => {
    const config = {
      leaderElection: { enabled: true, namespace: 'from-config', name: 'config-lease', leaseDuration: '30s' },
    };
    expect(resolveAgentSettings({}, { POD_NAMESPACE: 'pod-ns' }, config, defaults).leaderElection).toEqual({
      namespace: 'from-config',
      name: 'config-lease',
      timing: { leaseDurationMs: 30_000, renewDeadlineMs: 20_000, retryPeriodMs: 4_000 },
    });
    expect(
      resolveAgentSettings(
        { leaseNamespace: 'from-flag', leaseName: 'flag-lease', leaseDuration: '6s' },
        { SMART_LEASE_NAMESPACE: 'from-env', POD_NAMESPACE: 'pod-ns' },
        config,
        defaults,
      ).leaderElection,
    ).toEqual({
      namespace: 'from-flag',
      name: 'flag-lease',
      timing: { leaseDurationMs: 6_000, renewDeadlineMs: 4_000, retryPeriodMs: 800 },
    });
    expect(
      resolveAgentSettings({}, { SMART_LEADER_ELECT: 'false' }, config, defaults).leaderElection,
    ).toBeUndefined();
    expect(
      resolveAgentSettings(
        {},
        { SMART_LEADER_ELECT: 'true', SMART_LEASE_NAMESPACE: 'from-env' },
        {},
        defaults,
      ).leaderElection?.namespace,
    ).toBe('from-env');
  });

  it.for([
    [{ leaderElect: true, leaseDuration: 'soon' }, {}, {}, /^--lease-duration takes a duration/],
    [{}, { SMART_LEADER_ELECT: 'yes' }, {}, /^SMART_LEADER_ELECT=yes: write true or false$/],
    [
      {},
      {},
      { leaderElection: { enabled: true, leaseDuration: '10s', renewDeadline: '10s' } },
      /^leader election: the lease duration \(10000 ms\) must exceed the renew deadline \(10000 ms\)/,
    ],
  ] as const)('refuses %j %j %j with one usage line', ([flags, env, config, message]) => {
    expect(() => resolveAgentSettings(flags, env, config, defaults)).toThrow(
      expect.objectContaining({ code: 'usage', message: expect.stringMatching(message) as unknown }),
    );
  });
});

describe('the agent’s flags and its config schema', () => {
  const longName = (flags: string): string => /--[a-z-]+/.exec(flags)?.[0] ?? flags;
  const agentFlags = AGENT.options.map((option) => longName(option.flags));
  const globalFlags = GLOBAL_OPTIONS.map((option) => longName(option.flags));

  it('give every config key a flag the agent takes', () => {
    for (const [key, flags] of Object.entries(AGENT_FLAGS_OF_CONFIG))
      for (const flag of flags) expect([...agentFlags, ...globalFlags], key).toContain(flag);
    expect(Object.keys(AGENT_FLAGS_OF_CONFIG).sort()).toEqual(Object.keys(agentConfigSchema.shape).sort());
  });

  it('give every agent flag a config key, but --for (a run’s length, not a setting)', () => {
    const mapped = new Set(Object.values(AGENT_FLAGS_OF_CONFIG).flat());
    expect(agentFlags.filter((flag) => !mapped.has(flag))).toEqual(['--for']);
  });
});
