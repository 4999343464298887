use super::vocabulary::vocabulary;

vocabulary! {
    /// What a user may do. Ordered: each role can do everything the one before can.
    #[derive(PartialOrd, Ord)]
    pub enum Role {
        Reader = "reader",
        Author = "author",
        Editor = "editor",
        Admin = "admin",
    }
}

impl Role {
    /// Writers and up: may have drafts of their own.
    pub fn is_staff(self) -> bool {
        self >= Self::Author
    }

    /// Editors and admins: see and change everything editorial.
    pub fn is_editor(self) -> bool {
        self >= Self::Editor
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_are_ordered() {
        assert!(Role::Reader < Role::Author && Role::Author < Role::Editor && Role::Editor < Role::Admin);
        assert!(!Role::Reader.is_staff() && Role::Author.is_staff());
        assert!(!Role::Author.is_editor() && Role::Editor.is_editor() && Role::Admin.is_editor());
    }

    #[test]
    fn parses_only_known_roles() {
        for &role in <Role as crate::domain::Vocabulary>::ALL {
            assert_eq!(role.as_str().parse(), Ok(role));
        }
        assert!("Admin".parse::<Role>().is_err());
        assert!("root".parse::<Role>().is_err());
    }
}
