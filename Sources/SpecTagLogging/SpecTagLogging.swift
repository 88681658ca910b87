// SpecTagLogging module.
