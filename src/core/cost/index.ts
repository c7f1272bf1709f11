export {
  estimateCost,
  GB,
  REQUEST_TIER,
  REQUEST_TYPES,
  type CostEstimate,
  type CostInput,
  type RequestLine,
  type RequestTier,
  type RequestType,
} from './estimate.js';
export { formatEstimate, formatUsd } from './format.js';
export { DEFAULT_PRICES, resolvePrices, type PriceTable, type RetrievalKey } from './prices.js';
export { planCostInput, type PlannedWork, type PlanCostOptions } from './plan.js';
