//! Questions between the board and an economy, their posts and who has read them.

use super::*;

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct QuestionRow {
    pub id: i64,
    pub economy_id: i64,
    pub economy_slug: String,
    pub economy_name: String,
    pub about_kind: String,
    pub about_ref: String,
    pub about_title: String,
    pub state: String,
    pub asked_by: String,
    pub asked_at: String,
    pub resolved_by: Option<String>,
    pub resolved_at: Option<String>,
    /// The latest post's id and time.
    pub last_post_id: i64,
    pub last_post_at: String,
    /// The first post's text.
    pub opening: String,
}

const QUESTION_SELECT: &str = "SELECT q.id, q.economy_id, e.slug AS economy_slug,
        e.name AS economy_name, q.about_kind, q.about_ref, q.about_title, q.state, q.asked_by,
        q.asked_at, q.resolved_by, q.resolved_at,
        (SELECT MAX(p.id) FROM question_posts p WHERE p.question_id = q.id) AS last_post_id,
        (SELECT MAX(p.posted_at) FROM question_posts p WHERE p.question_id = q.id) AS last_post_at,
        (SELECT p.body FROM question_posts p WHERE p.question_id = q.id ORDER BY p.id LIMIT 1) AS opening
    FROM questions q JOIN economies e ON e.id = q.economy_id";

/// Opens a question with its first post; returns its id.
#[allow(clippy::too_many_arguments)]
pub async fn insert_question(
    tx: &mut Tx<'_>,
    economy_id: i64,
    about: (&str, &str, &str),
    asked_by: &str,
    body: &str,
    link: Option<&str>,
    document: Option<(&str, &str)>,
) -> sqlx::Result<i64> {
    let at = now();
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO questions (economy_id, about_kind, about_ref, about_title, state, asked_by, asked_at)
         VALUES ($1, $2, $3, $4, 'waiting-economy', $5, $6) RETURNING id",
    )
    .bind(economy_id)
    .bind(about.0)
    .bind(about.1)
    .bind(about.2)
    .bind(asked_by)
    .bind(&at)
    .fetch_one(&mut **tx)
    .await?;
    insert_post(tx, id, asked_by, "board", body, link, document).await?;
    Ok(id)
}

/// Adds a post, with a document already stored (its name and SHA-256) if any; returns its id.
pub async fn insert_post(
    tx: &mut Tx<'_>,
    question_id: i64,
    author: &str,
    side: &str,
    body: &str,
    link: Option<&str>,
    document: Option<(&str, &str)>,
) -> sqlx::Result<i64> {
    sqlx::query_scalar(
        "INSERT INTO question_posts (question_id, author, side, body, link, posted_at,
             document_name, document_sha256)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(question_id)
    .bind(author)
    .bind(side)
    .bind(body)
    .bind(link)
    .bind(now())
    .bind(document.map(|d| d.0))
    .bind(document.map(|d| d.1))
    .fetch_one(&mut **tx)
    .await
}

/// Sets whose turn it is, or resolves the question (`by` given).
pub async fn set_question_state(
    tx: &mut Tx<'_>,
    id: i64,
    state: &str,
    resolved_by: Option<&str>,
) -> sqlx::Result<()> {
    let at = resolved_by.map(|_| now());
    sqlx::query(
        "UPDATE questions SET state = $2, resolved_by = COALESCE($3, resolved_by),
             resolved_at = COALESCE($4, resolved_at) WHERE id = $1",
    )
    .bind(id)
    .bind(state)
    .bind(resolved_by)
    .bind(at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub async fn question(pool: &Pool, id: i64) -> sqlx::Result<Option<QuestionRow>> {
    sqlx::query_as(&format!("{QUESTION_SELECT} WHERE q.id = $1"))
        .bind(id)
        .fetch_optional(pool)
        .await
}

/// Questions of one economy (or every economy: `None`), latest activity first.
pub async fn questions(pool: &Pool, economy_id: Option<i64>) -> sqlx::Result<Vec<QuestionRow>> {
    sqlx::query_as(&format!(
        "{QUESTION_SELECT} WHERE ($1 IS NULL OR q.economy_id = $1) ORDER BY last_post_id DESC"
    ))
    .bind(economy_id)
    .fetch_all(pool)
    .await
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct PostRow {
    pub id: i64,
    pub author: String,
    pub side: String,
    pub body: String,
    pub link: Option<String>,
    pub posted_at: String,
    pub document_name: Option<String>,
    /// The attached document's size in bytes.
    pub document_size: Option<i64>,
}

pub async fn question_posts(pool: &Pool, question_id: i64) -> sqlx::Result<Vec<PostRow>> {
    sqlx::query_as(
        "SELECT p.id, p.author, p.side, p.body, p.link, p.posted_at, p.document_name,
             f.size AS document_size
         FROM question_posts p LEFT JOIN files f ON f.sha256 = p.document_sha256
         WHERE p.question_id = $1 ORDER BY p.id",
    )
    .bind(question_id)
    .fetch_all(pool)
    .await
}

/// The document attached to post `post_id` of question `question_id`: (file name, content
/// type, bytes).
pub async fn question_document(
    pool: &Pool,
    question_id: i64,
    post_id: i64,
) -> sqlx::Result<Option<(String, String, Vec<u8>)>> {
    sqlx::query_as(
        "SELECT p.document_name, f.content_type, f.content FROM question_posts p
         JOIN files f ON f.sha256 = p.document_sha256
         WHERE p.question_id = $1 AND p.id = $2 AND p.document_name IS NOT NULL",
    )
    .bind(question_id)
    .bind(post_id)
    .fetch_optional(pool)
    .await
}

/// Who has read a question up to which post: (email, last post seen, when).
pub async fn question_reads(
    pool: &Pool,
    question_id: i64,
) -> sqlx::Result<Vec<(String, i64, String)>> {
    sqlx::query_as(
        "SELECT u.email, r.last_post, r.read_at FROM question_reads r
         JOIN users u ON u.id = r.user_id WHERE r.question_id = $1 ORDER BY r.read_at",
    )
    .bind(question_id)
    .fetch_all(pool)
    .await
}

/// The last post of each question `user_id` has seen: (question, last post).
pub async fn questions_read_by(pool: &Pool, user_id: i64) -> sqlx::Result<Vec<(i64, i64)>> {
    sqlx::query_as("SELECT question_id, last_post FROM question_reads WHERE user_id = $1")
        .bind(user_id)
        .fetch_all(pool)
        .await
}

/// Records that `user_id` has seen a question up to `last_post`.
pub async fn mark_question_read(
    pool: &Pool,
    question_id: i64,
    user_id: i64,
    last_post: i64,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO question_reads (question_id, user_id, last_post, read_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (question_id, user_id) DO UPDATE SET last_post = excluded.last_post,
             read_at = excluded.read_at WHERE question_reads.last_post < excluded.last_post",
    )
    .bind(question_id)
    .bind(user_id)
    .bind(last_post)
    .bind(now())
    .execute(pool)
    .await?;
    Ok(())
}
