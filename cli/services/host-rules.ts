// The host's health, from node_exporter and cAdvisor: the disk holding each node's datadir, memory,
// the clock, and containers that keep restarting.
import type { AlertSpec, RuleFileSpec } from '../../profiles/kit/rule-kit.js';
import { DATADIR_INFO } from './host-metrics.js';
import { serviceDown } from './rules.js';
import { MACHINE } from '../../profiles/kit/machine-labels.js';

/**
 * A datadir's filesystem predicted to fill within 24 h at the rate of the last 6 h, on writable
 * filesystems only. The filesystem comes from node_exporter (one series per mount point); which
 * node's datadir it holds from the stack's info series (cli/render/host-metrics.ts), several
 * nodes to one filesystem, hence group_right. Exported for the test that fills a real filesystem.
 */
export const DATADIR_DISK_FILLING: AlertSpec = {
  alert: 'HostDatadirDiskFillingUp',
  expr: `(predict_linear(node_filesystem_avail_bytes[6h], 24 * 3600) < 0 and on (${MACHINE}, instance, device, mountpoint) node_filesystem_readonly == 0) * on (${MACHINE}, mountpoint) group_right (instance, device, fstype) ${DATADIR_INFO}`,
  for: '1h',
  severity: 'warning',
  summary: 'The disk holding {{ $labels.node }}\'s datadir fills within 24 hours',
  description:
    'At the rate of the last 6 hours, {{ $labels.mountpoint }} ({{ $labels.device }}), which holds the {{ $labels.profile }} node {{ $labels.node }}\'s datadir {{ $labels.datadir }}, runs out of space within 24 hours. A full disk stops the node and can corrupt its databases.',
};

export const hostRules: RuleFileSpec = {
  title: 'The host: datadir disks, memory, clock, containers (node_exporter, cAdvisor)',
  groups: [
    {
      name: 'host-alerts',
      rules: [
        serviceDown('NodeExporterDown', ['node-exporter'], 'node_exporter', 'warning', 'Disk, memory and clock alerts of the host cannot fire.'),
        DATADIR_DISK_FILLING,
        {
          alert: 'HostMemoryLow',
          expr: 'node_memory_MemAvailable_bytes / node_memory_MemTotal_bytes < 0.05',
          for: '5m',
          severity: 'critical',
          summary: 'Host {{ $labels.instance }} has less than 5% of its memory available',
          description: 'Only {{ $value | humanizePercentage }} of memory is available; the kernel\'s OOM killer may stop a node next (a reindex or a large dbcache is the usual cause).',
        },
        {
          // PSI "some": the share of time at least one task waited for memory (reclaim, swap-in).
          alert: 'HostMemoryPressure',
          expr: 'rate(node_pressure_memory_waiting_seconds_total[5m]) > 0.1',
          for: '10m',
          severity: 'warning',
          summary: 'Tasks on {{ $labels.instance }} wait for memory',
          description: 'Tasks waited for memory {{ $value | humanizePercentage }} of the time over 5 minutes (pressure stall information); nodes slow down and block validation lags.',
        },
        {
          alert: 'HostClockOffset',
          expr: 'abs(node_timex_offset_seconds) > 0.1',
          for: '10m',
          severity: 'warning',
          summary: 'The clock of {{ $labels.instance }} is {{ $value | humanizeDuration }} off',
          description: 'The kernel reports a clock offset over 100 ms from its time source; cross-node timings (FIBRE\'s send start, block propagation) are wrong by as much.',
        },
        {
          alert: 'HostClockNotSynchronised',
          expr: 'min_over_time(node_timex_sync_status[10m]) == 0',
          for: '10m',
          severity: 'warning',
          summary: 'The clock of {{ $labels.instance }} is not synchronised',
          description: 'The kernel has not been synchronised to a time source (NTP) for 10 minutes; the clock drifts freely and cross-node timings cannot be trusted.',
        },
        {
          // cAdvisor's container_start_time_seconds is the container's creation time, which a
          // restart keeps (google/cadvisor@v0.60.5:container/docker/handler.go): a restarted
          // container shows as its cgroup's CPU counter starting again from zero. `max`, not `sum`:
          // with per-CPU usage (cgroup v1) each CPU's series resets once per restart
          // (google/cadvisor@v0.60.5:lib/metrics/prometheus.go container_cpu_usage_seconds_total).
          // By host too: on a fleet hub every node's cAdvisor may have the same instance address.
          alert: 'HostContainerRestarting',
          expr: `max by (${MACHINE}, instance, name, image) (resets(container_cpu_usage_seconds_total{name!=""}[15m])) > 2`,
          severity: 'warning',
          summary: 'Container {{ $labels.name }} keeps restarting',
          description: 'Container {{ $labels.name }} ({{ $labels.image }}) restarted {{ $value }} times in 15 minutes; it fails soon after each start.',
        },
      ],
    },
  ],
};
