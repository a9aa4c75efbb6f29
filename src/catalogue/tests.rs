//! Tests of the discovery objects on a real DuckLake (SQLite catalogue in a temp folder; the
//! extensions come from DuckDB's extension directory, as for every lakegate test).

use super::*;
use crate::config::Config;
use crate::lake::Access;
use crate::publish::state::{self, PublishedRecord};

fn open_lake(dir: &std::path::Path) -> Lake {
    let config = Config::from_toml(&format!(
        "[lake]\ncatalog = 'sqlite:{0}/catalog.sqlite'\ndata_path = '{0}/data/'\n[pins]\nboard = ''\n",
        dir.display()
    ))
    .unwrap();
    Lake::open(&config, Access::ReadWrite, "lake", None)
        .expect("open a DuckLake (are the extensions installed? scripts/install-extensions)")
}

fn record(
    schema: &str,
    name: &str,
    kind: &str,
    rows: i64,
    columns: serde_json::Value,
) -> PublishedRecord {
    PublishedRecord {
        schema: schema.into(),
        name: name.into(),
        kind: kind.into(),
        fingerprint: "f".into(),
        comments_fingerprint: "c".into(),
        row_count: rows,
        snapshot_id: 1,
        published_at: String::new(),
        source_file: "source.duckdb".into(),
        pin_name: Some(crate::pins::pin_name(schema, name)),
        columns: columns.to_string(),
    }
}

/// A small lake: two tables (one in another schema), a view whose column comments exist only in
/// the publish record, and the record itself.
fn sample(dir: &std::path::Path, with_record: bool) -> Lake {
    let lake = open_lake(dir);
    let conn = lake.conn();
    conn.execute_batch(
        r#"
        CREATE SCHEMA lake.energy;
        CREATE TABLE lake.main.deprivation_index (lsoa_code VARCHAR NOT NULL, imd_decile TINYINT, population INTEGER);
        INSERT INTO lake.main.deprivation_index VALUES ('E01000001', 1, 1500), ('E01000002', 10, NULL);
        COMMENT ON TABLE lake.main.deprivation_index IS 'English Indices of Deprivation by LSOA.';
        COMMENT ON COLUMN lake.main.deprivation_index.lsoa_code IS 'ONS code of the area.';
        COMMENT ON COLUMN lake.main.deprivation_index.imd_decile IS 'National decile: 1 = most deprived.';
        COMMENT ON COLUMN lake.main.deprivation_index.population IS 'Mid-2019 estimate; NULL where suppressed.';
        CREATE TABLE lake.energy.ghg_emissions (la_code VARCHAR, year SMALLINT, emissions_kt_co2e DECIMAL(12, 3), boundary VARCHAR);
        INSERT INTO lake.energy.ghg_emissions VALUES ('E06000001', 2020, 1.5, NULL);
        COMMENT ON TABLE lake.energy.ghg_emissions IS 'Greenhouse gas emissions by local authority and year.';
        COMMENT ON COLUMN lake.energy.ghg_emissions.emissions_kt_co2e IS 'Emissions in kilotonnes of CO2 equivalent.';
        USE lake.main;
        CREATE VIEW deprived AS SELECT lsoa_code, imd_decile FROM deprivation_index WHERE imd_decile = 1;
        USE memory;
        COMMENT ON VIEW lake.main.deprived IS 'Areas in the most deprived decile.';
        "#,
    )
    .unwrap();
    if with_record {
        conn.execute_batch(&format!("USE lake; {}; USE memory", state::create_sql()))
            .unwrap();
        let col = |name: &str, ty: &str, crs: Option<&str>, comment: Option<&str>| serde_json::json!({"name": name, "source_type": ty, "crs": crs, "comment": comment});
        let records = vec![
            record(
                "main",
                "deprivation_index",
                "table",
                2,
                serde_json::json!([
                    col("lsoa_code", "VARCHAR", None, Some("ONS code of the area.")),
                    col(
                        "imd_decile",
                        "TINYINT",
                        None,
                        Some("National decile: 1 = most deprived.")
                    ),
                    col("population", "INTEGER", None, None),
                ]),
            ),
            record(
                "energy",
                "ghg_emissions",
                "table",
                1,
                serde_json::json!([
                    col("la_code", "VARCHAR", None, None),
                    col("year", "SMALLINT", None, None),
                    col("emissions_kt_co2e", "DECIMAL(12,3)", None, None),
                    col("boundary", "GEOMETRY", Some("EPSG:27700"), None),
                ]),
            ),
            record(
                "main",
                "deprived",
                "view",
                1,
                serde_json::json!([
                    col(
                        "lsoa_code",
                        "VARCHAR",
                        None,
                        Some("Area code (xylophone marker).")
                    ),
                    col("imd_decile", "TINYINT", None, Some("Always 1 here.")),
                ]),
            ),
        ];
        conn.execute_batch(&state::replace_sql("lake", &[], &records))
            .unwrap();
    }
    install(&lake).unwrap();
    lake
}

#[test]
fn datasets_and_columns_show_every_description() {
    let dir = tempfile::tempdir().unwrap();
    let lake = sample(dir.path(), true);
    let all = datasets(lake.conn()).unwrap();
    let names: Vec<String> = all.iter().map(Dataset::display_name).collect();
    assert_eq!(
        names,
        ["deprivation_index", "deprived", "energy.ghg_emissions"],
        "main first, the record's schema hidden"
    );
    let di = &all[0];
    assert_eq!(di.kind, "table");
    assert_eq!(
        di.description.as_deref(),
        Some("English Indices of Deprivation by LSOA.")
    );
    assert_eq!(di.row_count, Some(2));
    assert_eq!(di.column_count, Some(3));
    assert!(di.size_bytes.unwrap() > 0, "{di:?}");
    assert!(di.last_published.as_deref().unwrap().ends_with('Z'));
    assert_eq!(di.snapshot_id, Some(1));
    assert_eq!(di.pin_name.as_deref(), Some("deprivation_index"));
    let view = &all[1];
    assert_eq!(view.kind, "view");
    assert_eq!(view.column_count, Some(2));
    assert_eq!(view.size_bytes, None);
    assert_eq!(view.row_count, Some(1));

    let cols = columns_of(lake.conn(), "main", "deprived").unwrap();
    let described: Vec<(i32, &str, Option<&str>)> = cols
        .iter()
        .map(|c| (c.position, c.name.as_str(), c.description.as_deref()))
        .collect();
    assert_eq!(
        described,
        [
            (1, "lsoa_code", Some("Area code (xylophone marker).")),
            (2, "imd_decile", Some("Always 1 here."))
        ],
        "view columns are described from the publish record"
    );
    let ghg = columns_of(lake.conn(), "energy", "ghg_emissions").unwrap();
    assert_eq!(
        ghg[3].data_type, "GEOMETRY('EPSG:27700')",
        "source type kept"
    );
    assert_eq!(ghg[2].data_type, "DECIMAL(12,3)");
    let di_cols = columns_of(lake.conn(), "main", "deprivation_index").unwrap();
    assert!(!di_cols[0].nullable);
    assert!(di_cols[1].nullable);
    assert_eq!(
        columns(lake.conn()).unwrap().len(),
        9,
        "all columns, none of the record's"
    );
}

#[test]
fn search_ranks_names_over_descriptions() {
    let dir = tempfile::tempdir().unwrap();
    let lake = sample(dir.path(), true);
    let conn = lake.conn();
    let names = |term: &str| -> Vec<String> {
        search(conn, term)
            .unwrap()
            .iter()
            .map(SearchHit::display_name)
            .collect()
    };
    // A word that appears only in one column's description (of a view: kept in the record).
    let hits = search(conn, "xylophone").unwrap();
    assert_eq!(hits.len(), 1, "{hits:?}");
    assert_eq!(hits[0].name, "deprived");
    assert_eq!(hits[0].matched_in, "column: lsoa_code");
    assert_eq!(
        hits[0].snippet.as_deref(),
        Some("lsoa_code: Area code (xylophone marker).")
    );
    // Only in a table column's description.
    let hits = search(conn, "suppressed").unwrap();
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].matched_in, "column: population");
    // Name beats description; plurals fold; prefixes count; digits are words.
    assert_eq!(names("deprivation")[0], "deprivation_index");
    assert_eq!(names("emission"), ["energy.ghg_emissions"]);
    assert_eq!(names("boundaries"), ["energy.ghg_emissions"]);
    assert_eq!(names("co2"), ["energy.ghg_emissions"]);
    assert!(names("depriv").contains(&"deprivation_index".to_string()));
    assert_eq!(names("energy.ghg_emissions")[0], "energy.ghg_emissions");
    // All words found ranks above some.
    let hits = search(conn, "decile deprived").unwrap();
    assert_eq!(hits[0].name, "deprived", "{hits:?}");
    assert!(hits.windows(2).all(|w| w[0].score >= w[1].score));
    assert!(names("nothing-like-this").is_empty());
    assert!(matches!(
        search(conn, "  "),
        Err(CatalogueError::EmptySearch)
    ));
    // Quotes in the term are data.
    assert!(names("o'brien \"x\"").is_empty());
}

#[test]
fn stemming_folds_plurals_only() {
    let dir = tempfile::tempdir().unwrap();
    let lake = sample(dir.path(), true);
    for (word, stem) in [
        ("boundaries", "boundary"),
        ("emissions", "emission"),
        ("classes", "class"),
        ("boxes", "box"),
        ("churches", "church"),
        ("lsoas", "lsoa"),
        ("census", "census"),
        ("analysis", "analysis"),
        ("ons", "ons"),
        ("class", "class"),
        ("days", "day"),
        ("surveys", "survey"),
        ("co2e", "co2e"),
    ] {
        let got: String = lake
            .conn()
            .query_row(
                &format!("SELECT lakegate._discovery.stem({})", sql_string(word)),
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(got, stem, "{word}");
    }
    let words: String = lake
        .conn()
        .query_row(
            "SELECT array_to_string(lakegate._discovery.words('(Emissions) of CO2e, by LSOAs_2011'), ' ')",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(words, "emission of co2e by lsoa 2011");
}

#[test]
fn a_lake_without_publish_record_still_lists_its_tables() {
    let dir = tempfile::tempdir().unwrap();
    let lake = sample(dir.path(), false);
    let all = datasets(lake.conn()).unwrap();
    assert_eq!(all.len(), 3);
    assert!(all.iter().all(|d| d.pin_name.is_none()));
    assert_eq!(all[0].row_count, Some(2), "DuckLake's count stands in");
    assert_eq!(search(lake.conn(), "suppressed").unwrap().len(), 1);
    // Installing again (each CLI command does) replaces the objects.
    install(&lake).unwrap();
}

fn dataset(schema: &str, name: &str) -> Dataset {
    Dataset {
        schema: schema.into(),
        name: name.into(),
        kind: "table".into(),
        description: None,
        row_count: None,
        column_count: None,
        size_bytes: None,
        last_published: None,
        snapshot_id: None,
        pin_name: None,
    }
}

#[test]
fn tables_resolve_by_name_and_unknown_ones_get_suggestions() {
    let all = vec![
        dataset("main", "deprivation_index"),
        dataset("main", "local_authorities"),
        dataset("energy", "epc_certificates"),
        dataset("boundaries", "la_2023"),
        dataset("main", "Mixed"),
    ];
    assert_eq!(
        resolve(&all, "deprivation_index").unwrap().name,
        "deprivation_index"
    );
    assert_eq!(
        resolve(&all, "main.deprivation_index").unwrap().name,
        "deprivation_index"
    );
    assert_eq!(
        resolve(&all, "energy.epc_certificates").unwrap().schema,
        "energy"
    );
    assert_eq!(
        resolve(&all, "ENERGY.EPC_Certificates").unwrap().schema,
        "energy"
    );
    assert_eq!(resolve(&all, "mixed").unwrap().name, "Mixed");
    let err = resolve(&all, "deprivaton_index").unwrap_err();
    assert!(
        matches!(&err, CatalogueError::UnknownTable { suggestions, .. } if suggestions[0] == "deprivation_index"),
        "{err}"
    );
    assert!(
        err.to_string().contains("did you mean deprivation_index?"),
        "{err}"
    );
    // The bare name of a table in another schema.
    let err = resolve(&all, "epc_certificates").unwrap_err();
    assert!(err.to_string().contains("energy.epc_certificates"), "{err}");
    let err = resolve(&all, "zzz").unwrap_err().to_string();
    assert!(!err.contains("did you mean"), "{err}");
    assert!(err.contains("lakegate catalogue list"), "{err}");
}
