// SpecTagEvaluation module.
