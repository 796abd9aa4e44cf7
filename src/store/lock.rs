//! One process per SQLite file: a lock file beside the database (`<db>.lock`), held
//! with an exclusive `flock` for the life of the process, taken before the database is
//! opened or migrated. A second process gets [`StoreError::InUse`] at once, so two
//! starts never race on the migrations and two sweeps never deliver the same outbox.
//! Opening the same file again inside one process (a restart in tests) shares the lock.

use std::ffi::OsString;
use std::fs::{File, OpenOptions, TryLockError};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError, Weak};

use super::StoreError;

/// The locks this process holds, by the lock file's canonical path.
static HELD: Mutex<Vec<(PathBuf, Weak<File>)>> = Mutex::new(Vec::new());

/// The lock on one database file; released when the last clone is dropped.
#[derive(Debug, Clone)]
pub struct DbLock(#[allow(dead_code)] Arc<File>);

/// The lock file for a database path: the same name with `.lock` appended.
#[must_use]
pub fn lock_path(db: &Path) -> PathBuf {
    let mut name: OsString = db.as_os_str().to_owned();
    name.push(".lock");
    PathBuf::from(name)
}

/// Takes the lock for `db`, or shares the one this process already holds.
///
/// # Errors
/// [`StoreError::InUse`] when another process holds it; [`StoreError::Lock`] when the
/// lock file cannot be created (a missing directory, no permission).
pub fn acquire(db: &Path) -> Result<DbLock, StoreError> {
    let path = lock_path(db);
    let failed = |source: std::io::Error| StoreError::Lock {
        path: db.display().to_string(),
        source,
    };
    let file = OpenOptions::new()
        .create(true)
        .truncate(false)
        .read(true)
        .write(true)
        .open(&path)
        .map_err(failed)?;
    let key = std::fs::canonicalize(&path).map_err(failed)?;
    let mut held = HELD.lock().unwrap_or_else(PoisonError::into_inner);
    held.retain(|(_, lock)| lock.strong_count() > 0);
    if let Some(lock) = held
        .iter()
        .find(|(p, _)| *p == key)
        .and_then(|(_, l)| l.upgrade())
    {
        return Ok(DbLock(lock));
    }
    match file.try_lock() {
        Ok(()) => {}
        Err(TryLockError::WouldBlock) => {
            return Err(StoreError::InUse {
                path: db.display().to_string(),
                lock: path.display().to_string(),
            });
        }
        Err(TryLockError::Error(e)) => return Err(failed(e)),
    }
    let lock = Arc::new(file);
    held.push((key, Arc::downgrade(&lock)));
    Ok(DbLock(lock))
}
