// The exporter runtime's public face: what a profile's collector builds on. Profiles import from
// here only, so the runtime's own modules can change shape without touching any profile.
export { MetricSet } from './metrics-registry.js';
export { startRuntime, untilSignal, type ExporterRuntime } from './runtime.js';
export type { HealthState } from './http.js';
export { runEbpfExporter, type EbpfCollector, type EbpfExporterOptions, type EbpfHandler } from './ebpf-exporter.js';
export { MapDeltas } from './bpftrace.js';
export { mapKeyRestorer, type BpftraceVersion } from './bpftrace-version.js';
export { followLog, type FollowStatus, type Follower } from './log-follower.js';
export type { CommonDecls, CommonExporterOptions, OptionDecls, OptionValues, ReplayDecls, Resolved } from './options.js';
export type { MapRecord, Player, RecordedEvent, ReplayPlayer } from './replay.js';
export { nonNegative } from './replay.js';
