/**
 * Incidents: the entity graph (nodes, pods, services and their dependencies, found in scrape
 * targets, kube-state-metrics, service-graph metrics and the configuration), alerts grouped into
 * incidents over it, and each incident's probable root cause with the evidence of the path to
 * it. {@link io.specula.incident.IncidentManager} wires it between the rule manager and the notifier.
 */
package io.specula.incident;
