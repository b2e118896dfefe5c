//! Reading many small revision files with as few system calls as the OS allows: this is
//! most of what loading a large history costs (the parser is a small part).
//!
//! Compared with `fs::read(path)` per file, a [`Reader`]:
//! - skips the `statx` that sizes the buffer: bytes land in one buffer kept across
//!   files, so a file costs one `read` plus the one that finds its end;
//! - on Unix, opens each file relative to its directory (`openat`), keeping the last
//!   directory open: the kernel walks one path component instead of the whole path.

use std::fs::File;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use super::LoadError;

/// Reads files one after another on one thread. Holds at most one directory open, and
/// closes it when dropped.
#[derive(Default)]
pub(super) struct Reader {
    buffer: Vec<u8>,
    #[cfg(unix)]
    dir: Option<(PathBuf, std::os::fd::OwnedFd)>,
}

impl Reader {
    /// The whole file as UTF-8 text.
    pub(super) fn read(&mut self, path: &Path) -> Result<String, LoadError> {
        let io = |error: io::Error| LoadError::Io {
            path: path.to_path_buf(),
            error,
        };
        let mut file = self.open(path).map_err(io)?;
        let mut len = 0;
        loop {
            if self.buffer.len() == len {
                self.buffer.resize((len * 2).max(64 * 1024), 0);
            }
            match file.read(self.buffer.get_mut(len..).unwrap_or_default()) {
                Ok(0) => break,
                Ok(n) => len += n,
                Err(error) if error.kind() == io::ErrorKind::Interrupted => {}
                Err(error) => return Err(io(error)),
            }
        }
        let bytes = self.buffer.get(..len).unwrap_or_default();
        String::from_utf8(bytes.to_vec()).map_err(|_| LoadError::NotUtf8 {
            path: path.to_path_buf(),
        })
    }

    #[cfg(unix)]
    fn open(&mut self, path: &Path) -> io::Result<File> {
        use std::ffi::OsStr;
        use std::os::unix::ffi::OsStrExt;

        use rustix::fs::{openat, Mode, OFlags, CWD};

        // Split at the last `/` by hand: `Path::parent` and `file_name` parse the whole
        // path into components, which costs more than the rest of this function.
        let bytes = path.as_os_str().as_bytes();
        let (dir, name) = match bytes.iter().rposition(|&b| b == b'/') {
            Some(slash) => {
                let dir = bytes.get(..slash.max(1)).unwrap_or_default();
                let name = bytes.get(slash + 1..).unwrap_or_default();
                (Path::new(OsStr::from_bytes(dir)), name)
            }
            None => (Path::new("."), bytes),
        };
        if name.is_empty() || name == b"." || name == b".." {
            return File::open(path);
        }
        let open_dir = match &self.dir {
            Some((open, _)) => open.as_os_str().as_bytes() != dir.as_os_str().as_bytes(),
            None => true,
        };
        if open_dir {
            let flags = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC;
            let fd = openat(CWD, dir, flags, Mode::empty())?;
            self.dir = Some((dir.to_path_buf(), fd));
        }
        let name = OsStr::from_bytes(name);
        match &self.dir {
            Some((_, fd)) => {
                let flags = OFlags::RDONLY | OFlags::CLOEXEC;
                Ok(File::from(openat(fd, name, flags, Mode::empty())?))
            }
            None => File::open(path),
        }
    }

    #[cfg(not(unix))]
    fn open(&mut self, path: &Path) -> io::Result<File> {
        File::open(path)
    }
}

#[cfg(test)]
mod tests;
