//! `exemplar backup FILE` and `exemplar restore FILE [--force]` on both backends.
//!
//! SQLite: `VACUUM INTO` writes a consistent copy while the app runs; a restore replaces the
//! database file (stop the app first) and applies any newer migrations. PostgreSQL: the
//! backup is `pg_dump --format=custom`, the restore `pg_restore --clean`, both from the
//! PostgreSQL client programs on the PATH or under /usr/lib/postgresql.

use crate::exit::{Failure, DATABASE, REFUSED};
use app::db::{self, Backend, Pool};
use std::path::{Path, PathBuf};

fn refused(message: String) -> Failure {
    Failure(REFUSED, vec![format!("exemplar: {message}")])
}

/// A PostgreSQL client program: on the PATH, or the newest under /usr/lib/postgresql.
fn pg_program(name: &str) -> PathBuf {
    let mut versions: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .map(|d| {
            d.filter_map(|e| e.ok())
                .map(|e| e.path().join("bin").join(name))
                .collect()
        })
        .unwrap_or_default();
    versions.retain(|p| p.exists());
    versions.sort();
    versions.pop().unwrap_or_else(|| PathBuf::from(name))
}

fn run(program: PathBuf, args: &[&str]) -> Result<(), Failure> {
    let out = std::process::Command::new(&program)
        .args(args)
        .output()
        .map_err(|e| refused(format!("cannot run {}: {e}", program.display())))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(refused(format!(
            "{} failed: {}",
            program.display(),
            String::from_utf8_lossy(&out.stderr).trim()
        )))
    }
}

pub async fn backup(pool: &Pool, url: &str, file: &Path) -> Result<(), Failure> {
    if file.exists() {
        return Err(refused(format!(
            "{} already exists: choose a new file name",
            file.display()
        )));
    }
    match db::backend(pool) {
        Backend::Sqlite => db::sqlite_backup(pool, file)
            .await
            .map_err(|e| refused(format!("cannot write {}: {e}", file.display()))),
        Backend::Postgres => {
            eprintln!("backing up with pg_dump (custom format)");
            let target = file.display().to_string();
            run(
                pg_program("pg_dump"),
                &["--format=custom", "--file", &target, "--dbname", url],
            )
        }
    }
}

pub async fn restore(pool: Pool, url: &str, file: &Path, force: bool) -> Result<(), Failure> {
    if !file.is_file() {
        return Err(refused(format!(
            "cannot read {}: no such file",
            file.display()
        )));
    }
    if !force && db::holds_data(&pool).await.map_err(Failure::from)? {
        return Err(refused(format!(
            "{url} is not empty: restoring would replace its data (add --force to do so)"
        )));
    }
    match db::backend(&pool) {
        Backend::Sqlite => {
            let target = db::sqlite_path(url)
                .ok_or_else(|| refused(format!("{url} is not a SQLite file URL")))?;
            // The backup must be a SQLite database of this service.
            let check = format!("sqlite://{}?mode=ro", file.display());
            let backup = db::open_existing(&check).await.map_err(|e| {
                refused(format!(
                    "{} is not a backup of Exemplar: {e}",
                    file.display()
                ))
            })?;
            backup.close().await;
            pool.close().await;
            let tmp = target.with_extension("restoring");
            std::fs::copy(file, &tmp)
                .map_err(|e| refused(format!("cannot copy {}: {e}", file.display())))?;
            for suffix in ["-wal", "-shm"] {
                let mut p = target.clone().into_os_string();
                p.push(suffix);
                let _ = std::fs::remove_file(PathBuf::from(p));
            }
            std::fs::rename(&tmp, &target)
                .map_err(|e| refused(format!("cannot replace {}: {e}", target.display())))?;
        }
        Backend::Postgres => {
            pool.close().await;
            eprintln!("restoring with pg_restore");
            let source = file.display().to_string();
            run(
                pg_program("pg_restore"),
                &[
                    "--clean",
                    "--if-exists",
                    "--no-owner",
                    "--single-transaction",
                    "--dbname",
                    url,
                    &source,
                ],
            )?;
        }
    }
    // Newer migrations apply to an older backup.
    db::open(url)
        .await
        .map_err(|e| Failure(DATABASE, vec![format!("exemplar: {e}")]))?
        .close()
        .await;
    Ok(())
}
