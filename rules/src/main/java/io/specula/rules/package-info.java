/**
 * Rules: Prometheus rule files (recording and alerting rules in groups), their evaluation on
 * each group's interval, alert state and templates, promtool-style rule unit tests, and (in
 * {@code notifier}) delivery of alerts to Alertmanagers.
 */
package io.specula.rules;
