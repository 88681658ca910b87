// SpecTagArguments module.
