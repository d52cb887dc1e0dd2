/**
 * The lead domain's public surface: import from `shared/domain` only.
 */
export * from './assignment/index';
export { decide } from './decide';
export type * from './Decision';
export * from './delivery/index';
export * from './errors';
export { factNamesByStage, type FactStage, type LeadFacts, leadFacts } from './facts';
export type * from './Lead';
export { LEAD_KEY_BUCKET_MINUTES, leadKeyCandidates } from './leadKey';
export { foldForSearch, type LeadSearch, MAX_SEARCH_CHARS, parseLeadSearch } from './leadSearch';
export { type DeliveryOwner, type LeadOwner, ownerForTarget } from './owner';
export { parseMarketplaceCallback } from './parseMarketplaceCallback';
export { parseMarketplaceTableRow } from './parseMarketplaceTableRow';
export {
    parsePipelineConfig,
    type PipelineConfig,
    type QualificationRule,
    type RoutingRule,
    type ScoringRule,
} from './pipelineConfig';
export * from './privacy/index';
export type { RouteOptions } from './route';
export type * from './TargetConfig';
export { capField, FIELD_CHAR_CAP, normaliseForMatch, TRUNCATION_MARKER } from './text';
