//! Statements with bodies that hold semicolons: PostgreSQL parentheses and `BEGIN ATOMIC`,
//! SQLite trigger bodies, MySQL routines and triggers, and a transaction `BEGIN` that
//! opens no block.

use super::*;

#[test]
fn postgres_parentheses_hold_semicolons() {
    let sql = "CREATE RULE r AS ON INSERT TO t DO ALSO (INSERT INTO a VALUES (1); INSERT INTO b VALUES (2)); SELECT 1";
    assert_eq!(
        texts(sql, Postgresql),
        [
            "CREATE RULE r AS ON INSERT TO t DO ALSO (INSERT INTO a VALUES (1); INSERT INTO b VALUES (2))",
            "SELECT 1"
        ]
    );
    // A stray `)` does not go negative and swallow the next statement.
    assert_eq!(
        texts("SELECT 1); SELECT 2", Postgresql),
        ["SELECT 1)", "SELECT 2"]
    );
}

#[test]
fn postgres_begin_atomic_bodies() {
    let sql = "\
CREATE FUNCTION add(a int, b int) RETURNS int LANGUAGE sql
BEGIN ATOMIC
  SELECT CASE WHEN a > 0 THEN a ELSE 0 END;
  SELECT a + b;
END;
CREATE OR REPLACE PROCEDURE p() LANGUAGE sql BEGIN ATOMIC INSERT INTO t VALUES (1); END;
create procedure q() begin atomic select 1; end;
SELECT 2";
    assert_eq!(
        texts(sql, Postgresql),
        [
            "CREATE FUNCTION add(a int, b int) RETURNS int LANGUAGE sql\nBEGIN ATOMIC\n  SELECT CASE WHEN a > 0 THEN a ELSE 0 END;\n  SELECT a + b;\nEND",
            "CREATE OR REPLACE PROCEDURE p() LANGUAGE sql BEGIN ATOMIC INSERT INTO t VALUES (1); END",
            "create procedure q() begin atomic select 1; end",
            "SELECT 2"
        ]
    );
}

#[test]
fn transaction_begin_is_not_a_block() {
    for dialect in ALL {
        assert_eq!(
            texts(
                "BEGIN; SELECT CASE WHEN true THEN 1 END; END; COMMIT",
                dialect
            ),
            ["BEGIN", "SELECT CASE WHEN true THEN 1 END", "END", "COMMIT"]
        );
    }
}

#[test]
fn sqlite_trigger_bodies() {
    let sql = "\
CREATE TRIGGER trg AFTER INSERT ON t
WHEN CASE WHEN new.a IS NULL THEN 0 ELSE 1 END
BEGIN
  UPDATE t SET a = CASE WHEN new.a > 0 THEN 1 ELSE 0 END WHERE id = new.id;
  INSERT INTO log VALUES ('end;');
END;
CREATE TEMP TRIGGER IF NOT EXISTS t2 BEFORE DELETE ON t BEGIN SELECT RAISE(ABORT, 'no'); END;
SELECT 1;";
    assert_eq!(
        texts(sql, Sqlite),
        [
            "CREATE TRIGGER trg AFTER INSERT ON t\nWHEN CASE WHEN new.a IS NULL THEN 0 ELSE 1 END\nBEGIN\n  UPDATE t SET a = CASE WHEN new.a > 0 THEN 1 ELSE 0 END WHERE id = new.id;\n  INSERT INTO log VALUES ('end;');\nEND",
            "CREATE TEMP TRIGGER IF NOT EXISTS t2 BEFORE DELETE ON t BEGIN SELECT RAISE(ABORT, 'no'); END",
            "SELECT 1"
        ]
    );
}

#[test]
fn mysql_routine_and_trigger_bodies() {
    let sql = "\
CREATE DEFINER=`root`@`%` PROCEDURE p(IN n INT)
BEGIN
  DECLARE i INT DEFAULT 0;
  IF n > 0 THEN SET i = 1; ELSE SET i = 2; END IF;
  CASE i WHEN 1 THEN SELECT 1; ELSE SELECT 2; END CASE;
  l: LOOP SET i = i + 1; IF i > 3 THEN LEAVE l; END IF; END LOOP l;
  WHILE i < 9 DO SET i = i + 1; END WHILE;
  REPEAT SET i = i - 1; UNTIL i = 0 END REPEAT;
  SELECT CASE WHEN i = 0 THEN 'zero' END;
END;
CREATE TRIGGER trg BEFORE INSERT ON t FOR EACH ROW BEGIN SET NEW.a = IF(NEW.a > 0, 1, 0); END;
SELECT 1";
    let statements = texts(sql, Mysql);
    assert_eq!(statements.len(), 3, "{statements:#?}");
    assert!(statements[0].ends_with("SELECT CASE WHEN i = 0 THEN 'zero' END;\nEND"));
    assert_eq!(
        statements[1],
        "CREATE TRIGGER trg BEFORE INSERT ON t FOR EACH ROW BEGIN SET NEW.a = IF(NEW.a > 0, 1, 0); END"
    );
    assert_eq!(statements[2], "SELECT 1");
}
