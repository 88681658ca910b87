// SpecTagAlerts module.
