/** What the engine must do once the record, as changed by `applyEpisode`, is stored. */
export type Effect =
    | { kind: 'runActivity'; id: number; name: string; input: unknown }
    | { kind: 'armTimer'; id: number; fireAt: string }
    | { kind: 'cancelTimer'; id: number }
    | { kind: 'startChild'; id: number; name: string; childId: string; input: unknown; version?: string };
