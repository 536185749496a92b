/** Prices and costs: the versioned price table, token counts and the cost of one request. */
export { modelPriceSchema, priceFileSchema, type ModelPrice, type ModelPriceInput, type PriceFile, type DatedPrice } from './price-schema.js';
export { PriceTable, loadPriceTable, readPriceFile, priceOn, defaultPriceFile, type PriceMatch, type PriceQuery } from './price-table.js';
export { computeCost, worstCaseCost, usageParts, nanoToUsd, usdToNano, formatUsd, nanoPerUsd, type CostBreakdown, type UsageParts, type MediaCounts } from './compute-cost.js';
export { countChatInput, countEmbeddingInput, countCompletionOutput, countText, type InputCount } from './count-tokens.js';
export { wavSeconds } from './wav-duration.js';
