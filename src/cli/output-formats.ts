/** The `-o` formats of each command: what the parser accepts, and the type the command switches on. */

export const ANALYZE_FORMATS = ['text', 'wide', 'json', 'yaml', 'markdown'] as const;
export type AnalyzeFormat = (typeof ANALYZE_FORMATS)[number];

export const DEPS_FORMATS = ['text', 'tree', 'wide', 'json', 'yaml', 'dot', 'mermaid'] as const;
export type DepsFormat = (typeof DEPS_FORMATS)[number];

export const DESCRIBE_FORMATS = ['text', 'json', 'yaml'] as const;
export type DescribeFormat = (typeof DESCRIBE_FORMATS)[number];

export const EVENTS_FORMATS = ['text', 'wide', 'json', 'yaml'] as const;
export type EventsFormat = (typeof EVENTS_FORMATS)[number];

export const INFO_FORMATS = ['text', 'wide', 'json', 'yaml'] as const;
export type InfoFormat = (typeof INFO_FORMATS)[number];

export const RECEIVE_FORMATS = ['text', 'json'] as const;
export type ReceiveFormat = (typeof RECEIVE_FORMATS)[number];

export const REPLAY_FORMATS = ['text', 'json', 'yaml'] as const;
export type ReplayFormat = (typeof REPLAY_FORMATS)[number];

export const TIMELINE_FORMATS = ['text', 'json', 'yaml'] as const;
export type TimelineFormat = (typeof TIMELINE_FORMATS)[number];

export const WHY_FORMATS = ['text', 'json', 'yaml'] as const;
export type WhyFormat = (typeof WHY_FORMATS)[number];
