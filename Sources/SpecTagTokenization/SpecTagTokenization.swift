// SpecTagTokenization module.
