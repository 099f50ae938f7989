// The seam between the stack commands (up, down, status, logs, validate, demo) and the ways a
// stack runs. Each run mode is one StackRunner; choose-runner.ts picks it, once per command. A
// new run mode is a new runner, and the exhaustive switches there make it a compile error to
// forget one.
import type { Mode } from '../spec/types.js';
import type { StackDir } from './stack-dir.js';

/** Progress output, one line at a time. */
export type Say = (line: string) => void;

/** Whether a service of the stack runs, as its runner sees it. */
export interface ServiceState {
  service: string;
  /** What was looked at: its container, or its process. */
  check: 'container' | 'process';
  /** Running (and healthy, when it has a container healthcheck). */
  running: boolean;
  /** What was seen, in words. */
  detail: string;
  /** Set when its program could not be had, so it was never started. */
  unavailable?: { reason: string; remedy: string };
  /** False when only the stack's own network reaches it (an exporter container publishes no port). */
  reachableFromHost: boolean;
  /** When not running: stopped (or never started) on purpose, or crashed (died without being stopped). */
  down?: 'stopped' | 'crashed';
  /**
   * When running and reachable: whether what answers on its port is this service (the pid that
   * owns the socket, or the container publishing it), so that another program's answer never counts.
   */
  identity?: { ours: boolean; detail: string };
}

export interface UpOptions {
  say: Say;
  timeoutMs: number;
  /** Return once started and leave the services running (a foreground run stops them on Ctrl-C). */
  detach: boolean;
  /** Rebuild the exporter image even when it exists. */
  build: boolean;
  /** BASE_IMAGE for that build; the Dockerfile's pinned default when absent. */
  baseImage?: string;
  /** The folder the user named, for the hint on how to stop (the stack may run from its native twin). */
  userDir: string;
}

export interface LogsOptions {
  /** The service whose log to show; every service's when absent. */
  service?: string;
  follow: boolean;
  tail: number;
}

export interface ApplyOptions {
  say: Say;
  timeoutMs: number;
  /** Stack files `generate` just rewrote, relative to the stack folder. */
  changedFiles: readonly string[];
  /** Rebuild the exporter image first (docker). */
  build: boolean;
  baseImage?: string;
}

export interface RestartOptions {
  say: Say;
  timeoutMs: number;
  /** The service to restart; every running service when absent. */
  service?: string;
}

export interface StackRunner {
  /** The run mode, as `status` names it. */
  readonly mode: Mode;
  /** Starts every service that can start and waits until each is healthy; returns the exit code. */
  up(stack: StackDir, opts: UpOptions): Promise<number>;
  /** Stops the stack; its data is deleted too with `volumes`. */
  down(stack: StackDir, opts: { volumes: boolean; say: Say }): Promise<void>;
  /** Every service of the stack, by name. */
  serviceStates(stack: StackDir): Promise<Map<string, ServiceState>>;
  /**
   * Makes what runs take the stack's current files: Prometheus and Alertmanager reload, the
   * other programs restart, changed containers are recreated. Returns the exit code.
   */
  apply(stack: StackDir, opts: ApplyOptions): Promise<number>;
  /** Restarts one service, or every one, keeping its data; returns the exit code. */
  restart(stack: StackDir, opts: RestartOptions): Promise<number>;
  /** Shows logs on this terminal; returns the exit code. */
  logs(stack: StackDir, opts: LogsOptions): Promise<number>;
}
