//! Backup and restore, and stored files (the evidence store).

use super::*;

// Backup and restore (SQLite; PostgreSQL uses pg_dump and pg_restore, see `exemplar backup`)

/// Writes a consistent copy of a SQLite database to `file` while others may write.
/// Dialect: SQLite only (`VACUUM INTO`).
pub async fn sqlite_backup(pool: &Pool, file: &std::path::Path) -> sqlx::Result<()> {
    sqlx::query("VACUUM INTO $1")
        .bind(file.display().to_string())
        .execute(pool)
        .await?;
    Ok(())
}

/// Does the database hold anything a person put there (economies, values, accounts,
/// publications)? A restore over such a database needs `--force`.
pub async fn holds_data(pool: &Pool) -> sqlx::Result<bool> {
    let count: i64 = sqlx::query_scalar(
        "SELECT (SELECT COUNT(*) FROM economies) + (SELECT COUNT(*) FROM criterion_values)
              + (SELECT COUNT(*) FROM users) + (SELECT COUNT(*) FROM publications)",
    )
    .fetch_one(pool)
    .await?;
    Ok(count > 0)
}

/// The file behind a `sqlite://` URL.
pub fn sqlite_path(url: &str) -> Option<std::path::PathBuf> {
    SqliteConnectOptions::from_str(url)
        .ok()
        .map(|o| o.get_filename().to_path_buf())
}

/// Opens a database that must exist and hold this service's tables (read-only checks).
pub async fn open_existing(url: &str) -> sqlx::Result<Pool> {
    sqlx::any::install_default_drivers();
    let pool = AnyPoolOptions::new()
        .max_connections(1)
        .connect(url)
        .await?;
    sqlx::query("SELECT COUNT(*) FROM _sqlx_migrations")
        .fetch_one(&pool)
        .await?;
    Ok(pool)
}

// Stored files: the storage seam for evidence. Content-addressed and in the database, so an
// upload through one instance downloads through any other.

/// Stores a file (once, however often it is uploaded) and returns its SHA-256.
pub async fn put_file(tx: &mut Tx<'_>, content: &[u8], content_type: &str) -> sqlx::Result<String> {
    let sha = crate::audit::sha256_hex(content);
    sqlx::query(
        "INSERT INTO files (sha256, content_type, size, content, created_at)
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (sha256) DO NOTHING",
    )
    .bind(&sha)
    .bind(content_type)
    .bind(content.len() as i64)
    .bind(content.to_vec())
    .bind(now())
    .execute(&mut **tx)
    .await?;
    Ok(sha)
}

/// Records that an economy (or board staff, `None`) uploaded the file `sha256`.
pub async fn record_upload(
    tx: &mut Tx<'_>,
    sha256: &str,
    economy_id: Option<i64>,
) -> sqlx::Result<()> {
    sqlx::query("INSERT INTO file_uploads (sha256, economy_id, uploaded_at) VALUES ($1, $2, $3)")
        .bind(sha256)
        .bind(economy_id)
        .bind(now())
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// A stored file's content, if this economy (or board staff, `None`) uploaded it: what a
/// form may keep from an earlier try.
pub async fn own_file(
    pool: &Pool,
    sha256: &str,
    economy_id: Option<i64>,
) -> sqlx::Result<Option<Vec<u8>>> {
    sqlx::query_scalar(
        "SELECT f.content FROM files f
         WHERE f.sha256 = $1 AND EXISTS (
             SELECT 1 FROM file_uploads u WHERE u.sha256 = f.sha256
               AND (u.economy_id = $2 OR (u.economy_id IS NULL AND $2 IS NULL)))",
    )
    .bind(sha256)
    .bind(economy_id)
    .fetch_optional(pool)
    .await
}

/// A stored file's content type and content.
pub async fn get_file(pool: &Pool, sha256: &str) -> sqlx::Result<Option<(String, Vec<u8>)>> {
    sqlx::query_as("SELECT content_type, content FROM files WHERE sha256 = $1")
        .bind(sha256)
        .fetch_optional(pool)
        .await
}
