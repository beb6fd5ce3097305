/** Artifact stores: the per-file repository contract shared by the MLflow module and cloud modules. */
package io.github.mlflowsecretsauth.artifact;
