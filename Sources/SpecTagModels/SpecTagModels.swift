// SpecTagModels module.
