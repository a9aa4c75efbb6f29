#!/usr/bin/env Rscript
# Browsing session with RPostgreSQL (the libpq-based DBI driver on CRAN since 2008), run by
# capture_client_queries.sh.  Usage: Rscript client_rpostgresql.R PORT USER
# RPostgreSQL does not set application_name itself; the capture script sets PGAPPNAME (read by
# libpq) and also brackets the run with marker statements, so the session is found either way.
suppressPackageStartupMessages(library(RPostgreSQL))
args <- commandArgs(trailingOnly = TRUE)
port <- as.integer(args[[1]])
user <- args[[2]]

con <- dbConnect(PostgreSQL(), host = "127.0.0.1", port = port, dbname = "lake", user = user)
print(dbGetInfo(con)[c("serverVersion", "dbname")])
print(dbListTables(con))
print(dbExistsTable(con, "deprivation_index"))
print(dbExistsTable(con, c("energy", "ghg_emissions")))
print(dbListFields(con, "deprivation_index"))
print(dbListFields(con, c("energy", "epc_certificates")))
print(dbReadTable(con, "local_authorities"))
print(dbReadTable(con, c("energy", "ghg_emissions")))
print(dbGetQuery(con, "SELECT la_code, la_name, population_2021 FROM local_authorities WHERE region_name = 'London'"))
invisible(dbDisconnect(con))
