// Which machine a series comes from: a fleet node's agent puts these labels on everything it sends
// (its external labels, cli/render/fleet-node.ts), so on a hub two machines may each have a node, an
// instance or a mount point of the same name. Rules and dashboards keep them wherever they keep
// one of those; on a standalone stack no series has them, and keeping them changes nothing.
export const MACHINE_LABELS = ['site', 'host'] as const;

/** `site, host`, for a `by (...)` or `on (...)` list. */
export const MACHINE = MACHINE_LABELS.join(', ');
