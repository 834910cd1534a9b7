@echo off
rem Moves a stopped site's SQLite database into an empty PostgreSQL database, with the Node that ships in this folder.
rem Every argument is passed on: --help lists them (--from, --to, --app-role, ...).
setlocal
set "AVIATION_WORKFLOW_MOVE_COMMAND=%~dp0aviation-workflow-site-move.cmd"
"%~dp0..\node\node.exe" "%~dp0..\out\main\cli\siteMove.js" %*
