@echo off
rem Double-click launcher for Windows: starts konf-wahl serve and opens the browser.
rem Put this file next to konf-wahl.exe. Closing this window stops konf-wahl.
cd /d "%~dp0"
konf-wahl.exe serve --open
pause
