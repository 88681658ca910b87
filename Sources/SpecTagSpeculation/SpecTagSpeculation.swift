// SpecTagSpeculation module.
