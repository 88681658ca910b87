// SpecTagMetrics module.
