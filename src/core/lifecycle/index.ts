export { BucketLifecycle, type BucketLifecycleState } from './bucket.js';
export { describeRule, formatLifecycle, type LifecycleReport } from './format.js';
export {
  DEFAULT_ABORT_MULTIPART_DAYS,
  DEFAULT_ARCHIVE_AFTER_DAYS,
  DEFAULT_NONCURRENT_DAYS,
  RULE_BASES,
  isOurs,
  planLifecycle,
  recommendedRules,
  ruleId,
  sameRule,
  type LifecyclePlan,
  type LifecyclePolicy,
  type RuleChange,
} from './rules.js';
